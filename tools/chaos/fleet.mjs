// The five apps built from dist/, migrated and started against chaos's own MariaDB, Redis and
// RabbitMQ, with short retry delays and rate limits out of the way. An app can be SIGKILLed and
// started again with the same env and port.
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signalGroup, spawnLogged, stopGroup, waitUntil } from './processes.mjs';

const run = promisify(execFile);

export const FLEET_APPS = Object.freeze([
  'gateway',
  'member-service',
  'point-service',
  'benefit-service',
  'event-service',
]);

export const SCHEMAS = Object.freeze({
  gateway: 'ms_gateway',
  'member-service': 'ms_member',
  'point-service': 'ms_point',
  'benefit-service': 'ms_benefit',
  'event-service': 'ms_event',
});

/** The env every app gets: private dependencies, quick retries, generous rate limits. */
export function fleetEnv({ mysqlPort, redisPort, rabbitmqUrl, logLevel = 'warn' }) {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: logLevel,
    MYSQL_HOST: '127.0.0.1',
    MYSQL_PORT: String(mysqlPort),
    MYSQL_USER: 'root',
    MYSQL_PASSWORD: '',
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(redisPort),
    RABBITMQ_URL: rabbitmqUrl,
    RPC_TIMEOUT_MS: '3000',
    OUTBOX_POLL_MS: '50',
    EVENT_RETRY_DELAYS_MS: '200,500,1000,2000',
    EVENT_MAX_ATTEMPTS: '5',
    JOBS_ENABLED: 'false',
    RATE_LIMIT_PER_IP: '10000000',
    RATE_LIMIT_PER_MEMBER: '1000000',
    RATE_LIMIT_PER_ADMIN: '1000000',
    RATE_LIMIT_PER_SERVICE: '1000000',
    RATE_LIMIT_CHECK_IN_PER_MEMBER: '1000000',
    RATE_LIMIT_SPEND_PER_MEMBER: '1000000',
  };
}

/** The schemas with an outbox (the gateway writes no events). */
export const OUTBOX_SCHEMAS = Object.freeze(
  Object.fromEntries(Object.entries(SCHEMAS).filter(([app]) => app !== 'gateway')),
);

/**
 * `onCrash(app, exit)` is called when an app exits that nobody stopped or killed; chaos restarts
 * it then, as an orchestrator would, and reports the crash.
 */
async function* files(dir, keep) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* files(path, keep);
    } else if (keep(entry.name)) yield path;
  }
}

/**
 * Whether dist/ is missing an app or older than a TypeScript source in apps/ or libs/. Rebuilding
 * deletes dist/ first, which would pull it from under anyone else running the apps from this
 * checkout, so chaos rebuilds only when it has to.
 */
export async function distIsStale(root) {
  let newestSource = 0;
  for (const top of ['apps', 'libs']) {
    for await (const file of files(join(root, top), (name) => name.endsWith('.ts'))) {
      newestSource = Math.max(newestSource, (await stat(file)).mtimeMs);
    }
  }
  try {
    for (const app of FLEET_APPS) await stat(join(root, 'dist/apps', app, 'src/main.js'));
    let oldestBuilt = Infinity;
    for await (const file of files(join(root, 'dist'), (name) => name.endsWith('.js'))) {
      oldestBuilt = Math.min(oldestBuilt, (await stat(file)).mtimeMs);
    }
    return newestSource > oldestBuilt;
  } catch {
    return true;
  }
}

export async function buildApps(root) {
  await run(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root });
}

export function createFleet({ root, dir, env, ports, onCrash = () => {} }) {
  const handles = new Map();
  const envOf = (app) => ({
    ...process.env,
    ...env,
    MYSQL_DATABASE: SCHEMAS[app],
    REDIS_PREFIX: `ms:chaos:${app}:`,
    HTTP_PORT: String(ports[app]),
  });
  const script = (app, entry) => join(root, 'dist/apps', app, 'src', entry);
  const logFile = (app) => join(dir, `${app}.log`);

  async function start(app) {
    const handle = spawnLogged(app, process.execPath, [script(app, 'main.js')], {
      env: envOf(app),
      cwd: root,
      logFile: logFile(app),
    });
    handles.set(app, handle);
    await waitUntil(
      async () => {
        const response = await fetch(`http://127.0.0.1:${ports[app]}/health/ready`, {
          signal: AbortSignal.timeout(2000),
        });
        await response.body?.cancel();
        return response.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `${app} to be ready`, handle },
    );
    void handle.exited.then((exit) => {
      if (!handle.expected) onCrash(app, exit);
    });
  }

  return {
    ports,
    logFile,
    async migrate() {
      for (const app of FLEET_APPS) {
        await run(process.execPath, [script(app, 'migrate.js')], {
          env: envOf(app),
          cwd: root,
        }).catch((error) => {
          throw new Error(`${app} migration failed: ${error.stderr || error.message}`);
        });
      }
    },
    async startAll() {
      await Promise.all(FLEET_APPS.map(start));
    },
    start,
    /** SIGKILL, no grace; resolves once the process is gone. */
    async kill(app) {
      const handle = handles.get(app);
      signalGroup(handle, 'SIGKILL');
      await handle.exited;
    },
    async stopAll() {
      const all = [...handles.values()];
      for (const handle of all) handle.expected = true;
      await Promise.all(all.map((handle) => stopGroup(handle, 10_000)));
    },
    markExpected(app) {
      const handle = handles.get(app);
      if (handle) handle.expected = true;
    },
  };
}
