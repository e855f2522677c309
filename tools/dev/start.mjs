#!/usr/bin/env node
// `npm start`: checks MySQL/Redis/RabbitMQ, builds, migrates, runs the five apps with readable logs, prints URLs and tokens.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ADMIN_PERMISSIONS, mintToken } from '../lib/jwt.mjs';
import { formatBanner } from './banner.mjs';
import { checkDependencies, formatDependencyReport } from './dependencies.mjs';
import { APPS, Fleet, busyPorts, portVariable, selectApps, waitReady } from './fleet.mjs';
import { formatLogLine } from './log-format.mjs';

const USAGE = `Usage: npm start -- [options]      (node tools/dev/start.mjs [options])

Checks that MySQL, Redis and RabbitMQ answer, builds (tools/build.mjs), migrates every app (schemas,
migrations, default levels, RabbitMQ topology), starts the apps with readable logs and prints the
URLs and ready-made tokens once every /health/ready answers 200. Ctrl-C stops them all.

  --only <apps>    comma-separated subset: ${APPS.map((app) => app.name).join(', ')}
  --no-build       skip the build (use dist/ as it is)
  --migrate-only   check, build and migrate, then exit (npm run migrate)
  --json           print the apps' raw JSON log lines (prefixed) instead of readable ones
  -h, --help       show this help

Environment (passed on to the apps; defaults are the local ones):
  MYSQL_HOST MYSQL_PORT MYSQL_USER MYSQL_PASSWORD   127.0.0.1 3306 root ''
  REDIS_HOST REDIS_PORT REDIS_PASSWORD              127.0.0.1 6379 ''
  RABBITMQ_URL                                      amqp://guest:guest@127.0.0.1:5672
  <APP>_HTTP_PORT, e.g. ${portVariable('member-service')}     ${APPS.map((app) => app.port).join(', ')}
  LOG_LEVEL, JWT_SECRET and any other app setting; the apps also get NODE_ENV=development and
  ALLOW_CLOCK_OVERRIDE=true.`;

const startedAt = Date.now();
const READY_TIMEOUT_MS = 60_000;
const httpHost = process.env.HTTP_HOST || '0.0.0.0';
const STOP_GRACE_MS = 15_000;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const print = (text = '') => process.stdout.write(`${text}\n`);
const seconds = (since) => (Date.now() - since) / 1000;

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      only: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'migrate-only': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`start: ${error.message}\n\n${USAGE}`);
  process.exit(1);
}
if (options.help) {
  print(USAGE);
  process.exit(0);
}

let apps;
try {
  apps = selectApps(options.only);
} catch (error) {
  console.error(`start: ${error.message}`);
  process.exit(1);
}

const fleet = new Fleet();
let stopping = false;
/** 'starting' until every app is ready; then an app that exits is reported, not fatal. */
let phase = 'starting';

process.on('exit', () => fleet.signal('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void shutdown());

let firstSignalAt = 0;
async function shutdown() {
  // Under `npm start` a Ctrl-C can arrive twice at once (from the terminal and forwarded by npm):
  // only a later one means "kill now".
  if (stopping && Date.now() - firstSignalAt < 500) return;
  if (stopping) {
    print('Killing every app now.');
    fleet.signal('SIGKILL');
    process.exit(130);
  }
  stopping = true;
  firstSignalAt = Date.now();
  const handles = fleet.running;
  if (handles.length === 0) process.exit(0);
  const since = Date.now();
  print(
    `\nStopping ${handles.map((h) => h.name).join(', ')} (Ctrl-C again to kill them at once)...`,
  );
  const killed = await fleet.stop(STOP_GRACE_MS);
  if (killed.length > 0)
    print(`Killed ${killed.join(', ')}: still running after ${STOP_GRACE_MS / 1000} s.`);
  for (const { name, exit } of handles) {
    if (!killed.includes(name) && exit.code !== 0 && exit.signal !== 'SIGTERM') {
      print(`${name} stopped with ${exit.signal ?? `exit code ${exit.code}`}.`);
    }
  }
  print(`Stopped in ${seconds(since).toFixed(1)} s.`);
  process.exit(0);
}

/** Never settles: for a step interrupted by Ctrl-C, while shutdown() finishes and exits. */
const halt = () => new Promise(() => {});

/** Stops whatever runs and exits 1. Never returns. */
async function fail(message) {
  if (stopping) return halt();
  stopping = true;
  print(message);
  await fleet.stop(STOP_GRACE_MS);
  process.exit(1);
}

const formatter = (app) => (line) =>
  formatLogLine(line, { app: app.name, appColor: app.color, color, json: options.json });

/** Each app's env: everything we have, its own port, and the local-fleet switches. */
const envOf = (app) => ({
  ...process.env,
  NODE_ENV: 'development',
  ALLOW_CLOCK_OVERRIDE: 'true',
  HTTP_PORT: String(app.port),
});

async function checkDependenciesStep() {
  const results = await checkDependencies();
  if (results.every((result) => result.ok)) return print(formatDependencyReport(results));
  console.error(formatDependencyReport(results));
  process.exit(1);
}

async function buildStep() {
  const build = fleet.run('build', join(root, 'tools/build.mjs'), {
    cwd: root,
    env: process.env,
    onLine: print,
  });
  const { code, signal } = await build.exited;
  if (code !== 0) await fail(`✗ Build failed (${signal ?? `exit code ${code}`}).`);
}

async function migrateStep() {
  const missing = apps.filter(
    (app) => !existsSync(join(root, 'dist/apps', app.name, 'src/main.js')),
  );
  if (missing.length > 0) {
    await fail(
      `✗ dist/ has no build of ${missing.map((app) => app.name).join(', ')}: run without --no-build.`,
    );
  }
  const since = Date.now();
  const runs = apps.map((app) => ({
    app,
    handle: fleet.run(app.name, join(root, 'dist/apps', app.name, 'src/migrate.js'), {
      cwd: root,
      env: envOf(app),
    }),
  }));
  await Promise.all(runs.map(({ handle }) => handle.exited));
  if (stopping) return halt();
  const failed = runs.filter(({ handle }) => handle.exit.code !== 0);
  for (const { app, handle } of failed) {
    print(
      `✗ ${app.name} migration failed (${handle.exit.signal ?? `exit code ${handle.exit.code}`}):`,
    );
    handle.tail.forEach((line) => print(formatter(app)(line)));
  }
  if (failed.length > 0) await fail('Migration failed; nothing was started.');
  print(`✓ Migrated ${apps.map((app) => app.name).join(', ')} in ${seconds(since).toFixed(1)} s`);
}

async function checkPortsStep() {
  const busy = await busyPorts(apps, httpHost);
  if (busy.length > 0) {
    await fail(
      busy
        .map(
          (app) =>
            `✗ Port ${app.port} (${app.name}) is already in use: is another npm start running?`,
        )
        .join('\n') +
        `\n  Stop it, or pick other ports with ${busy.map((app) => portVariable(app.name)).join(', ')}.`,
    );
  }
}

async function startStep() {
  const pollHost = ['0.0.0.0', '::'].includes(httpHost) ? '127.0.0.1' : httpHost;
  const running = apps.map((app) => {
    const format = formatter(app);
    const handle = fleet.run(app.name, join(root, 'dist/apps', app.name, 'src/main.js'), {
      cwd: root,
      env: envOf(app),
      onLine: (line) => print(format(line)),
    });
    handle.exited.then(({ code, signal }) => {
      if (stopping || phase !== 'running') return;
      print(`✗ ${app.name} exited (${signal ?? `exit code ${code}`}); the others keep running.`);
      print(
        fleet.running.length > 0
          ? '  Fix it and restart npm start (Ctrl-C stops the rest).'
          : '  No app is left.',
      );
      if (fleet.running.length === 0) process.exit(1);
    });
    return { app, handle, format };
  });

  const firstExit = Promise.race(running.map((entry) => entry.handle.exited.then(() => entry)));
  const readiness = Promise.all(
    running.map(async (entry) => ({
      ...entry,
      ...(await waitReady(entry.handle, `http://${pollHost}:${entry.app.port}/health/ready`, {
        timeoutMs: READY_TIMEOUT_MS,
      })),
    })),
  );
  const outcome = await Promise.race([readiness, firstExit]);
  if (stopping) return halt();
  const lastLines = ({ handle, format }) => handle.tail.slice(-20).map(format).join('\n');

  if (!Array.isArray(outcome)) {
    const { app, handle } = outcome;
    await fail(
      `\n✗ ${app.name} exited while starting (${handle.exit.signal ?? `exit code ${handle.exit.code}`}). Its last lines:\n` +
        `${lastLines(outcome)}\nStopping the others.`,
    );
  }
  const notReady = outcome.filter((entry) => !entry.ready);
  if (notReady.length > 0) {
    await fail(
      notReady
        .map(
          (entry) =>
            `\n✗ ${entry.app.name} not ready after ${READY_TIMEOUT_MS / 1000} s (last answer: ${entry.last}). Its last lines:\n${lastLines(entry)}`,
        )
        .join('\n') + '\nStopping everything.',
    );
  }
  phase = 'running';
  const memberToken = mintToken({ sub: '10001', roles: ['member'], ttlSeconds: 86_400 });
  const adminToken = mintToken({
    sub: '1',
    roles: ['admin'],
    perms: [...ADMIN_PERMISSIONS],
    ttlSeconds: 86_400,
  });
  print(formatBanner({ apps, memberToken, adminToken, seconds: seconds(startedAt), color }));
}

await checkDependenciesStep();
if (!options['migrate-only']) await checkPortsStep();
if (!options['no-build']) await buildStep();
await migrateStep();
if (options['migrate-only']) process.exit(0);
if (!stopping) await startStep();
