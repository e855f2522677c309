// Chaos's own MariaDB, Redis and RabbitMQ: private processes on free ports under the run's temp
// dir, so faults never touch the shared servers. Each has start(), stop() and ready().
import { execFile } from 'node:child_process';
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
 * RabbitMQ under the run's temp dir, from the test launcher in libs/shared/testing (built to dist/,
 * so the apps must be built first): one node (`chaos-<id>-1@localhost`), or with `size` 3 a cluster
 * (`chaos-<id>-1..3@localhost`). `url` lists every node, comma-separated, as the apps take it;
 * `urls` one by one for the load's own connections. `stop` and `start` stop every node and boot
 * them again on their data (the single node's restart); the temp dir is chaos's to keep or remove.
 */
export async function createRabbitmq(dir, root, id, log, size) {
  const require = createRequire(import.meta.url);
  const { createRabbitmqCluster: create } = require(
    join(root, 'dist/libs/shared/testing/src/rabbitmq-cluster.js'),
  );
  const cluster = await create({ size, parentDir: dir, prefix: `chaos-${id}`, keep: true, log });
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
