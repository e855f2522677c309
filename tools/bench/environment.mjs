// The bench's own world: MySQL schemas, a RabbitMQ vhost and a Redis prefix of its own, and the apps on free loopback ports.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { dependencySettings } from '../dev/dependencies.mjs';
import { Fleet, waitReady } from '../dev/fleet.mjs';

/** The apps a ledger bench needs, with the suffix of their schema and Redis prefix. */
export const BENCH_APPS = Object.freeze([
  { name: 'gateway', suffix: 'gateway' },
  { name: 'member-service', suffix: 'member' },
  { name: 'point-service', suffix: 'point' },
]);

/** The API bench also quotes discounts, so benefit-service joins them. */
export const API_BENCH_APPS = Object.freeze([
  ...BENCH_APPS,
  { name: 'benefit-service', suffix: 'benefit' },
]);

const STOP_GRACE_MS = 15_000;
const run = promisify(execFile);

/** fetch's "nothing listens there": the management plugin is off, so rabbitmqctl does the work. */
const managementOff = (error) => error?.name === 'TypeError' && error?.message === 'fetch failed';

/** A port nothing listens on right now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export class BenchEnvironment {
  /**
   * Names are unique per run, so a bench never touches `npm start`'s or the tests' data.
   * `apps` are the apps to migrate and start, `appEnv` settings added to each app's env, `dist`
   * the build to run them from (dist/ by default).
   */
  constructor(root, env = process.env, { apps = BENCH_APPS, appEnv = {}, dist } = {}) {
    this.root = root;
    this.env = env;
    this.appList = apps;
    this.appEnv = appEnv;
    this.dist = dist ?? join(root, 'dist');
    this.id = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    this.vhost = `ms_bench_${this.id}`;
    /** Other vhosts of this run (a baseline's), deleted with the main one. */
    this.extraVhosts = [];
    this.redisPrefix = `ms:bench_${this.id}:`;
    this.settings = dependencySettings(env);
    const amqpUrl = new URL(this.settings.rabbitmq.url);
    this.rabbit = {
      user: decodeURIComponent(amqpUrl.username || 'guest'),
      password: decodeURIComponent(amqpUrl.password || 'guest'),
      management: env.RABBITMQ_MANAGEMENT_URL || `http://${amqpUrl.hostname}:15672`,
    };
    amqpUrl.pathname = `/${encodeURIComponent(this.vhost)}`;
    this.amqpUrl = amqpUrl.toString();
    this.fleet = new Fleet();
    this.apps = {};
    /** Per app: how many log lines it printed at LOG_LEVEL=warn, and the first few of them. */
    this.logs = {};
    this.tornDown = undefined;
  }

  schemaOf(suffix) {
    return `ms_bench_${this.id}_${suffix}`;
  }

  mysqlOptions(database) {
    const { host, port, user, password } = this.settings.mysql;
    return { host, port, user, password, database };
  }

  async #management(method, path, body) {
    const { user, password, management } = this.rabbit;
    const response = await fetch(`${management}/api${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
      throw new Error(`RabbitMQ management ${method} ${path}: ${response.status}`);
    }
    return method === 'GET' ? response.json() : undefined;
  }

  /** The AMQP URL of one of this run's vhosts. */
  amqpUrlOf(vhost) {
    const url = new URL(this.amqpUrl);
    url.pathname = `/${encodeURIComponent(vhost)}`;
    return url.toString();
  }

  /** Through the management API, or `rabbitmqctl` where the plugin is off (as libs/shared/testing does). */
  async createVhost(vhost = this.vhost) {
    if (vhost !== this.vhost) this.extraVhosts.push(vhost);
    const name = encodeURIComponent(vhost);
    try {
      await this.#management('PUT', `/vhosts/${name}`);
      await this.#management(
        'PUT',
        `/permissions/${name}/${encodeURIComponent(this.rabbit.user)}`,
        {
          configure: '.*',
          write: '.*',
          read: '.*',
        },
      );
    } catch (error) {
      if (!managementOff(error)) throw error;
      await run('rabbitmqctl', ['add_vhost', vhost]);
      await run('rabbitmqctl', [
        'set_permissions',
        '-p',
        vhost,
        this.rabbit.user,
        '.*',
        '.*',
        '.*',
      ]);
    }
  }

  async #deleteVhost(vhost) {
    try {
      await this.#management('DELETE', `/vhosts/${encodeURIComponent(vhost)}`);
    } catch (error) {
      if (!managementOff(error)) throw error;
      await run('rabbitmqctl', ['delete_vhost', vhost]).catch((failure) => {
        if (!/does not exist|no_such_vhost/i.test(`${failure.stdout}${failure.stderr}`))
          throw failure;
      });
    }
  }

  rabbitVersion() {
    return this.#management('GET', '/overview')
      .then((overview) => overview.rabbitmq_version)
      .catch((error) => {
        if (!managementOff(error)) throw error;
        return run('rabbitmqctl', ['version']).then(({ stdout }) =>
          stdout.trim().split('\n').pop(),
        );
      });
  }

  /**
   * Each app's env: its own schema, vhost and Redis prefix, loopback only, quiet logs, and no
   * scheduled jobs: a fleet started in the afternoon would otherwise catch up on every daily job
   * of the day at once (levels, birthdays, reconciliation over all members), in the middle of
   * the measurements. The benches run a job on demand where they need one.
   */
  #envOf(app, port) {
    return {
      ...this.env,
      JOBS_ENABLED: 'false',
      ...this.appEnv,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      MYSQL_DATABASE: this.schemaOf(app.suffix),
      REDIS_PREFIX: `${this.redisPrefix}${app.suffix}:`,
      RABBITMQ_URL: this.amqpUrl,
    };
  }

  #collect(name) {
    const log = (this.logs[name] ??= { lines: 0, first: [] });
    return (line) => {
      log.lines += 1;
      if (log.first.length < 5) log.first.push(line.slice(0, 400));
    };
  }

  /** Runs every app's migrate.js (schema, migrations, topology) at once; throws with the output of a failure. */
  async migrate() {
    const runs = this.appList.map((app) => {
      const tail = [];
      const handle = this.fleet.run(
        `${app.name}:migrate`,
        join(this.dist, 'apps', app.name, 'src/migrate.js'),
        { cwd: this.root, env: this.#envOf(app, 0), onLine: (line) => tail.push(line) },
      );
      return { app, handle, tail };
    });
    await Promise.all(runs.map(({ handle }) => handle.exited));
    const failed = runs.find(({ handle }) => handle.exit.code !== 0);
    if (failed) {
      throw new Error(`${failed.app.name} migration failed:\n${failed.tail.slice(-20).join('\n')}`);
    }
  }

  /** Starts the apps and waits for every /health/ready. Resolves with the gateway's base URL. */
  async start(timeoutMs = 60_000) {
    for (const app of this.appList) {
      const port = await freePort();
      const handle = this.fleet.run(app.name, join(this.dist, 'apps', app.name, 'src/main.js'), {
        cwd: this.root,
        env: this.#envOf(app, port),
        onLine: this.#collect(app.name),
      });
      this.apps[app.name] = { port, handle };
    }
    const answers = await Promise.all(
      Object.entries(this.apps).map(async ([name, { port, handle }]) => ({
        name,
        handle,
        ...(await waitReady(handle, `http://127.0.0.1:${port}/health/ready`, { timeoutMs })),
      })),
    );
    const notReady = answers.find((answer) => !answer.ready);
    if (notReady) {
      const why = notReady.exited ? 'exited' : `not ready (${notReady.last})`;
      throw new Error(`${notReady.name} ${why}:\n${notReady.handle.tail.slice(-20).join('\n')}`);
    }
    return `http://127.0.0.1:${this.apps.gateway.port}`;
  }

  /**
   * Starts a helper process of the bench (a baseline server) on a free port, passed as PORT, and
   * waits until `readyPath` answers 200. Its CPU counts in cpuSeconds(); tearDown() stops it.
   */
  async startHelper(name, script, { env = {}, readyPath = '/', timeoutMs = 30_000 } = {}) {
    const port = await freePort();
    const handle = this.fleet.run(name, script, {
      cwd: this.root,
      env: { ...this.env, ...env, PORT: String(port) },
      onLine: this.#collect(name),
    });
    this.apps[name] = { port, handle };
    const answer = await waitReady(handle, `http://127.0.0.1:${port}${readyPath}`, { timeoutMs });
    if (!answer.ready) {
      const why = answer.exited ? 'exited' : `not ready (${answer.last})`;
      throw new Error(`${name} ${why}:\n${handle.tail.slice(-20).join('\n')}`);
    }
    return `http://127.0.0.1:${port}`;
  }

  /**
   * CPU seconds used so far by each running app and the bench itself, by MariaDB, RabbitMQ and
   * Redis, and by the whole `machine` (other load included). Linux /proc, in clock ticks of 1/100 s; only `bench` elsewhere.
   */
  cpuSeconds() {
    const used = { bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 };
    try {
      // cpu  user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
      const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1, 9);
      const busy = ticks.reduce(
        (sum, tick, i) => (i === 3 || i === 4 ? sum : sum + Number(tick)),
        0,
      );
      used.machine = busy / 100;
    } catch {
      // not Linux
    }
    for (const [name, { handle }] of Object.entries(this.apps)) {
      const seconds = processCpuSeconds(handle.child.pid);
      if (seconds !== undefined) used[name] = seconds;
    }
    // The servers everything shares, so the machine's figure can be told apart.
    for (const [name, pids] of Object.entries(serverPids())) {
      used[name] = pids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
    }
    return used;
  }

  /** Stops the apps, drops the schemas, deletes the vhost and the Redis keys. Once; never throws. */
  tearDown() {
    this.tornDown ??= (async () => {
      const problems = [];
      const attempt = async (what, work) => {
        try {
          await work();
        } catch (error) {
          problems.push(`${what}: ${error.message}`);
        }
      };
      await attempt('stop apps', async () => {
        const killed = await this.fleet.stop(STOP_GRACE_MS);
        if (killed.length > 0) problems.push(`killed after ${STOP_GRACE_MS} ms: ${killed}`);
      });
      await attempt('drop schemas', async () => {
        const connection = await mysql.createConnection(this.mysqlOptions(undefined));
        try {
          for (const { suffix } of this.appList) {
            await connection.query(`DROP DATABASE IF EXISTS \`${this.schemaOf(suffix)}\``);
          }
        } finally {
          await connection.end();
        }
      });
      for (const vhost of [this.vhost, ...this.extraVhosts]) {
        await attempt(`delete vhost ${vhost}`, () => this.#deleteVhost(vhost));
      }
      await attempt('delete Redis keys', () => this.#deleteRedisKeys());
      return problems;
    })();
    return this.tornDown;
  }

  /** SCAN + DEL under the bench's prefix (never KEYS, so a shared Redis is not blocked). */
  async #deleteRedisKeys() {
    const { host, port, password, db } = this.settings.redis;
    const redis = new Redis({
      host,
      port,
      password: password || undefined,
      db,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${this.redisPrefix}*`,
          'COUNT',
          500,
        );
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}

/** CPU seconds a process has used (Linux /proc), undefined when it cannot be read. */
function processCpuSeconds(pid) {
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, after the ")" that ends the command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined; // not Linux, or already gone
  }
}

const SERVERS = {
  mariadbd: 'mariadb',
  mysqld: 'mariadb',
  'beam.smp': 'rabbitmq',
  'redis-server': 'redis',
};

/** The pids of the local MariaDB, RabbitMQ and Redis servers, by name ({} where /proc is not). */
function serverPids() {
  const found = {};
  let entries = [];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const pid of entries) {
    try {
      const name = SERVERS[readFileSync(`/proc/${pid}/comm`, 'utf8').trim()];
      if (name) (found[name] ??= []).push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
