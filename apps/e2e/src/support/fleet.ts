import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
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
  stopApp,
  testInfra,
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
 * Rows of a query on one app's own schema in the running fleet (BIGINTs as strings), for what the
 * API cannot show: a duplicate row, an event in the outbox, an audit record.
 */
export function queryAppSchema(
  app: FleetApp,
  sql: string,
  params: unknown[] = [],
): Promise<RowDataPacket[]> {
  return queryRunSchema(fleetInfo().runId, app, sql, params);
}

/** The same on the schema of a fleet a spec runs itself (its own `runId`). */
export async function queryRunSchema(
  runId: string,
  app: FleetApp,
  sql: string,
  params: unknown[] = [],
): Promise<RowDataPacket[]> {
  const connection = await createConnection({
    host: testInfra.mysql.host,
    port: testInfra.mysql.port,
    user: testInfra.mysql.username,
    password: testInfra.mysql.password,
    database: schemaOf(runId, app),
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sql, params);
    return rows;
  } finally {
    await connection.end();
  }
}

/**
 * Builds the apps and starts the whole fleet against its own schemas, vhost and Redis prefix,
 * with short timeouts and retry delays so failure paths are quick to observe. `env` is added to
 * every app's settings (e.g. MYSQL_HOST and MYSQL_PORT of another server).
 */
export async function startFleet(
  options: { env?: Record<string, string> } = {},
): Promise<{ info: FleetInfo; apps: RunningApp[] }> {
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
    ...options.env,
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
  const info: FleetInfo = {
    runId,
    vhost,
    amqpUrl: amqpUrl(vhost),
    gatewayUrl: `http://127.0.0.1:${ports.gateway}`,
    ports,
    env,
  };
  return { info, apps: await startFleetApps(info) };
}

/**
 * Migrates and starts the fleet's apps with the settings and ports it was started with. When one
 * fails to start, the others are stopped again: nobody else holds them to stop.
 */
export async function startFleetApps(info: FleetInfo): Promise<RunningApp[]> {
  await Promise.all(FLEET_APPS.map((app) => migrateApp(app, info.env[app])));
  const started = await Promise.allSettled(
    FLEET_APPS.map((app) => startApp(app, info.env[app], info.ports[app])),
  );
  const running = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (!failed) return running;
  await Promise.all(running.map((app) => stopApp(app)));
  throw failed.reason;
}

export function fleetInfo(): FleetInfo {
  const raw = process.env['E2E_FLEET'];
  if (!raw)
    throw new Error(
      'E2E_FLEET is not set: run the e2e project through jest (global setup starts the fleet)',
    );
  return JSON.parse(raw) as FleetInfo;
}
