import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { FleetApp, RunningApp } from '@member-system/shared/testing';
import {
  FLEET_APPS,
  amqpUrl,
  createVhost,
  freePort,
  migrateApp,
  newTestRunId,
  repoRoot,
  startApp,
} from '@member-system/shared/testing';

/** Where the tests find the fleet that global setup started (written to the environment). */
export interface FleetInfo {
  runId: string;
  vhost: string;
  amqpUrl: string;
  gatewayUrl: string;
  ports: Record<FleetApp, number>;
  /** The env each app was started with, so a test can start another instance of one. */
  env: Record<FleetApp, Record<string, string>>;
}

const SCHEMA_SUFFIX: Record<FleetApp, string> = {
  gateway: 'gateway',
  'member-service': 'member',
  'point-service': 'point',
  'benefit-service': 'benefit',
  'event-service': 'event',
};

export function schemaOf(runId: string, app: FleetApp): string {
  return `ms_${runId}_${SCHEMA_SUFFIX[app]}`;
}

/**
 * Builds the apps and starts the whole fleet against its own schemas, vhost and Redis prefix,
 * with short timeouts and retry delays so failure paths are quick to observe.
 */
export async function startFleet(): Promise<{ info: FleetInfo; apps: RunningApp[] }> {
  execFileSync(process.execPath, [join(repoRoot, 'tools/build.mjs')], { stdio: 'ignore' });
  const runId = newTestRunId();
  const vhost = `ms_${runId}`;
  await createVhost(vhost);
  const shared = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    RABBITMQ_URL: amqpUrl(vhost),
    RPC_TIMEOUT_MS: '3000',
    OUTBOX_POLL_MS: '50',
    EVENT_RETRY_DELAYS_MS: '200,500,1000',
    EVENT_MAX_ATTEMPTS: '3',
    ALLOW_CLOCK_OVERRIDE: 'true',
    // The whole suite sends from 127.0.0.1; the gateway's other rate limits keep their defaults.
    RATE_LIMIT_PER_IP: '100000',
  };
  const ports = {} as Record<FleetApp, number>;
  const env = {} as Record<FleetApp, Record<string, string>>;
  for (const app of FLEET_APPS) {
    ports[app] = await freePort();
    env[app] = {
      ...shared,
      MYSQL_DATABASE: schemaOf(runId, app),
      REDIS_PREFIX: `ms:${runId}:${SCHEMA_SUFFIX[app]}:`,
    };
  }
  await Promise.all(FLEET_APPS.map((app) => migrateApp(app, env[app])));
  const apps = await Promise.all(FLEET_APPS.map((app) => startApp(app, env[app], ports[app])));
  return {
    info: {
      runId,
      vhost,
      amqpUrl: amqpUrl(vhost),
      gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
      ports,
      env,
    },
    apps,
  };
}

export function fleetInfo(): FleetInfo {
  const raw = process.env['E2E_FLEET'];
  if (!raw)
    throw new Error(
      'E2E_FLEET is not set: run the e2e project through jest (global setup starts the fleet)',
    );
  return JSON.parse(raw) as FleetInfo;
}
