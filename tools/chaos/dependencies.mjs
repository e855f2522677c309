// Chaos's own MariaDB, Redis and RabbitMQ: private processes on free ports under the run's temp
// dir, so faults never touch the shared servers. Each has start(), stop() and ready().
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { portOpen, spawnLogged, stopGroup, waitUntil } from './processes.mjs';

const run = promisify(execFile);

/** MariaDB on its own datadir; a restart reuses the datadir and the port. */
export async function createMariadb(dir, port) {
  const datadir = join(dir, 'mysql');
  const logFile = join(dir, 'mariadb.log');
  await run(
    'mariadb-install-db',
    [
      '--no-defaults',
      '--auth-root-authentication-method=normal',
      `--datadir=${datadir}`,
      '--user=root',
      '--skip-test-db',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const args = [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysql.sock')}`,
    `--pid-file=${join(dir, 'mysql.pid')}`,
    '--user=root',
    '--skip-name-resolve',
    '--max-connections=500',
    '--innodb-buffer-pool-size=128M',
    '--innodb-log-file-size=64M',
    '--innodb-flush-log-at-trx-commit=2',
    `--log-error=${join(dir, 'mariadb.err')}`,
  ];
  let handle;
  const ready = async () => {
    const connection = await mysql.createConnection({
      host: '127.0.0.1',
      port,
      user: 'root',
      connectTimeout: 1000,
    });
    await connection.query('SELECT 1');
    await connection.end();
    return true;
  };
  return {
    name: 'mariadb',
    port,
    async start() {
      handle = spawnLogged('mariadb', '/usr/sbin/mariadbd', args, { logFile });
      await waitUntil(ready, { timeoutMs: 60_000, what: 'MariaDB to accept queries', handle });
    },
    stop: () => stopGroup(handle, 60_000),
    ready,
  };
}

/** Redis without persistence; `pause`/`resume` freeze and thaw the process (SIGSTOP/SIGCONT). */
export function createRedis(dir, port) {
  const logFile = join(dir, 'redis.log');
  let handle;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--dir',
    dir,
  ];
  return {
    name: 'redis',
    port,
    async start() {
      handle = spawnLogged('redis', 'redis-server', args, { logFile });
      await waitUntil(() => portOpen(port), { timeoutMs: 20_000, what: 'Redis', handle });
    },
    stop: () => stopGroup(handle, 10_000),
    pause: () => process.kill(handle.pid, 'SIGSTOP'),
    resume: () => process.kill(handle.pid, 'SIGCONT'),
  };
}

/**
 * A private RabbitMQ node (`chaos-<id>@localhost`) with its own data, logs, config, an empty plugin
 * list and its own Erlang cookie (HOME points into the temp dir). It registers with the shared epmd
 * on 4369 under its own name; the distribution port is its own and bound to 127.0.0.1. The
 * Debian wrapper in /usr/sbin switches to the rabbitmq user, so the scripts in /usr/lib are run.
 */
export async function createRabbitmq(dir, port, distPort, id) {
  const node = `chaos-${id}@localhost`;
  const base = join(dir, 'rabbitmq');
  const home = join(base, 'home');
  await mkdir(home, { recursive: true });
  await mkdir(join(base, 'mnesia'), { recursive: true });
  await mkdir(join(base, 'log'), { recursive: true });
  await writeFile(join(base, 'enabled_plugins'), '[].\n');
  await writeFile(join(base, 'rabbitmq-env.conf'), '');
  await writeFile(
    join(base, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${port}`,
      'vm_memory_high_watermark.relative = 0.6',
      'disk_free_limit.absolute = 50MB',
      '',
    ].join('\n'),
  );
  const env = {
    ...process.env,
    HOME: home,
    RABBITMQ_CONF_ENV_FILE: join(base, 'rabbitmq-env.conf'),
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
    RABBITMQ_LOG_BASE: join(base, 'log'),
    RABBITMQ_CONFIG_FILE: join(base, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(base, 'enabled_plugins'),
    RABBITMQ_ENABLED_PLUGINS: '',
    RABBITMQ_PID_FILE: join(base, 'rabbitmq.pid'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
  const ctl = (args, timeoutMs = 30_000) =>
    run('/usr/lib/rabbitmq/bin/rabbitmqctl', ['-n', node, ...args], {
      env,
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
  let handle;
  return {
    name: 'rabbitmq',
    node,
    port,
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    urls: [`amqp://guest:guest@127.0.0.1:${port}`],
    ctl,
    async start() {
      handle = spawnLogged('rabbitmq', '/usr/lib/rabbitmq/bin/rabbitmq-server', [], {
        env,
        cwd: base,
        logFile: join(dir, 'rabbitmq.log'),
      });
      await waitUntil(() => portOpen(port), {
        timeoutMs: 90_000,
        intervalMs: 250,
        what: 'RabbitMQ to listen',
        handle,
      });
    },
    async stop() {
      if (!handle || handle.exit) return handle?.exit;
      // A clean stop through the CLI; the process group is signalled if that does not work.
      await ctl(['stop'], 30_000).catch(() => undefined);
      const timer = setTimeout(() => void stopGroup(handle, 5_000), 20_000);
      const exit = await handle.exited;
      clearTimeout(timer);
      return exit;
    },
    /** `[{ name, messages, unacked }]` of every queue on the node. */
    async queues() {
      const { stdout } = await ctl(
        ['list_queues', '-q', '--no-table-headers', 'name', 'messages', 'messages_unacknowledged'],
        15_000,
      );
      return stdout
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((parts) => parts.length === 3 && /^\d+$/.test(parts[1]))
        .map(([name, messages, unacked]) => ({
          name,
          messages: Number(messages),
          unacked: Number(unacked),
        }));
    },
  };
}

/**
 * A three-node RabbitMQ cluster (nodes `chaos-<id>-1..3@localhost`) under the run's temp dir, from
 * the test launcher in libs/shared/testing (built to dist/, so the apps must be built first).
 * `url` lists every node, comma-separated, as the apps take it; `urls` one by one for the load's
 * own connections. The temp dir is chaos's to keep or remove.
 */
export async function createRabbitmqCluster(dir, root, id, log) {
  const require = createRequire(import.meta.url);
  const { createRabbitmqCluster: create } = require(
    join(root, 'dist/libs/shared/testing/src/rabbitmq-cluster.js'),
  );
  const cluster = await create({ parentDir: dir, prefix: `chaos-${id}`, keep: true, log });
  let lastStopped;
  return {
    name: 'rabbitmq',
    node: cluster.nodes.map((node) => node.name).join(', '),
    url: cluster.url,
    urls: cluster.nodes.map((node) => node.url),
    cluster,
    start: () => cluster.start(),
    stop: () => cluster.stop(),
    queues: () => cluster.queues(),
    /**
     * `queue-node`: the node holding `queue`; `another-node`: the one holding it now if that is
     * not the node stopped last (a quorum queue's leader moves when its node stops), otherwise
     * the next node after that one.
     */
    async pick(how, queue) {
      const holder = await cluster.nodeOfQueue(queue);
      if (how === 'queue-node') return holder ?? cluster.nodes[0];
      if (holder && holder !== lastStopped) return holder;
      const after = cluster.nodes.indexOf(lastStopped) + 1;
      return cluster.nodes[after % cluster.nodes.length];
    },
    async stopNode(node) {
      lastStopped = node;
      await cluster.stopNode(node);
    },
    startNode: (node) => cluster.startNode(node),
  };
}
