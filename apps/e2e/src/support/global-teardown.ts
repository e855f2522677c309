import './workspace-paths';
import Redis from 'ioredis';
import { dropDatabase } from '@member-system/shared/database';
import { FLEET_APPS, deleteVhost, stopApp, testInfra } from '@member-system/shared/testing';
import { fleetInfo, schemaOf } from './fleet';

/** Stops the fleet and removes everything the run created: schemas, vhost, Redis keys. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__E2E_APPS__ ?? []).map((app) => stopApp(app)));
  const info = fleetInfo();
  for (const app of FLEET_APPS) {
    await dropDatabase({ ...testInfra.mysql, database: schemaOf(info.runId, app) });
  }
  await deleteVhost(info.vhost);
  const redis = new Redis({ ...testInfra.redis, lazyConnect: true });
  await redis.connect();
  const keys = await redis.keys(`ms:${info.runId}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
