// Fresh schemas of a run for the seeder's own checks: each service's migrate.js from dist/ against
// `ms_<runId>_<suffix>` (its topology on a vhost of the run's own), and their removal afterwards.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { dependencySettings } from '../../dev/dependencies.mjs';
import { createVhost, deleteVhost } from '../rabbit-vhost.mjs';

const APPS = Object.freeze({
  member: 'member-service',
  point: 'point-service',
  benefit: 'benefit-service',
  event: 'event-service',
});

/** Builds dist/ when it is missing (tools/build.mjs), so migrate.js can run. */
export async function ensureBuilt(root) {
  if (existsSync(join(root, 'dist/apps/point-service/src/migrate.js'))) return;
  await promisify(execFile)(process.execPath, [join(root, 'tools/build.mjs')]);
}

/** Migrates `services` (keys of APPS) into `schemas` with the vhost `vhost`, all at once. */
export async function migrateSchemas(root, { schemas, vhost, services }, env = process.env) {
  await createVhost(vhost, env);
  const amqpUrl = new URL(dependencySettings(env).rabbitmq.url);
  amqpUrl.pathname = `/${encodeURIComponent(vhost)}`;
  await Promise.all(
    services.map((service) =>
      migrateOne(root, APPS[service], {
        ...env,
        LOG_LEVEL: 'warn',
        MYSQL_DATABASE: schemas[service],
        RABBITMQ_URL: amqpUrl.toString(),
      }),
    ),
  );
}

/** Runs one migrate.js; tries again while dist/ is being rebuilt by someone else (files missing). */
async function migrateOne(root, app, env) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await promisify(execFile)(
        process.execPath,
        [join(root, 'dist/apps', app, 'src/migrate.js')],
        {
          cwd: root,
          env,
        },
      );
      return;
    } catch (error) {
      const output = error.stderr || error.message;
      if (attempt < 5 && /Cannot find module/.test(output)) {
        await sleep(1000);
        continue;
      }
      throw new Error(`${app} migration failed: ${output}`);
    }
  }
}

/** Drops the schemas and deletes the vhost; never throws, returns what went wrong. */
export async function dropSchemas({ schemas, vhost }, env = process.env) {
  const problems = [];
  try {
    const connection = await mysql.createConnection(dependencySettings(env).mysql);
    try {
      for (const schema of Object.values(schemas)) {
        await connection.query(`DROP DATABASE IF EXISTS \`${schema}\``);
      }
    } finally {
      await connection.end();
    }
  } catch (error) {
    problems.push(`drop schemas: ${error.message}`);
  }
  await deleteVhost(vhost, env).catch((error) => problems.push(`delete vhost: ${error.message}`));
  return problems;
}
