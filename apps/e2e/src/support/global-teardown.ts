import './workspace-paths';
import { dropDatabase } from '@member-system/shared/database';
import {
  FLEET_APPS,
  deleteRedisKeys,
  deleteVhost,
  stopApp,
  testInfra,
} from '@member-system/shared/testing';
import { fleetInfo, schemaOf } from './fleet';

/** Stops the fleet and removes everything the run created: schemas, vhost, Redis keys. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__E2E_APPS__ ?? []).map((app) => stopApp(app)));
  const info = fleetInfo();
  for (const app of FLEET_APPS) {
    await dropDatabase({ ...testInfra.mysql, database: schemaOf(info.runId, app) });
  }
  await deleteVhost(info.vhost);
  await deleteRedisKeys(`ms:${info.runId}:`);
}
