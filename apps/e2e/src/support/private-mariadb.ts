// A MariaDB server of a test's own, with binary logging on: the shared one has it off and must
// stay as it is.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { freePort, waitFor } from '@member-system/shared/testing';

const run = promisify(execFile);

export interface PrivateMariadb {
  host: string;
  port: number;
  /** A root connection (empty password over TCP), for the test's own checks. */
  connect(): Promise<Connection>;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

function serverBinary(): string {
  return ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((path) => existsSync(path)) ?? 'mariadbd';
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Initialises a data directory in /tmp and starts mariadbd on a free port with ROW binary logs,
 * resolving once it answers over TCP. Whatever fails on the way, nothing is left behind.
 */
export async function startPrivateMariadb(): Promise<PrivateMariadb> {
  const dir = await mkdtemp(join(tmpdir(), 'ms-mariadb-'));
  const datadir = join(dir, 'data');
  const host = '127.0.0.1';
  const port = await freePort();
  const output: string[] = [];
  let server: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (server) await stopServer(server);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
    ]);
    server = spawn(
      serverBinary(),
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--port=${port}`,
        `--bind-address=${host}`,
        `--socket=${join(dir, 'mariadbd.sock')}`,
        `--pid-file=${join(dir, 'mariadbd.pid')}`,
        `--log-bin=${join(datadir, 'binlog')}`,
        '--server-id=1',
        '--binlog-format=ROW',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=64M',
        // Only takes effect when started as root, as in CI: mariadbd refuses to run as root otherwise.
        '--user=root',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer): void => {
      output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - 50));
    };
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    const started = server;
    await waitFor(
      async () => {
        if (started.exitCode !== null) throw new Error(`mariadbd exited with ${started.exitCode}`);
        const connection = await createConnection({ host, port, user: 'root', password: '' });
        await connection.end();
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'the private MariaDB to answer' },
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.slice(-20).join('\n')}`);
  }
  return {
    host,
    port,
    connect: () =>
      createConnection({ host, port, user: 'root', password: '', multipleStatements: false }),
    stop,
  };
}
