// A MariaDB primary with binary logging and a replica of it by GTID, each a mariadbd of the test's
// own (data directory, port and socket under one temp dir), for tests of reads from a replica.
// The shared MariaDB has binary logging off and must stay as it is.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { freePort } from './app-process';
import { waitFor } from './wait-for';

const run = promisify(execFile);

export interface MariadbServer {
  host: string;
  port: number;
  /** A root connection (empty password over TCP). */
  connect(): Promise<Connection>;
}

export interface ReplicaPair {
  primary: MariadbServer;
  replica: MariadbServer;
  /** Resolves once the replica has applied everything committed on the primary so far. */
  synced(): Promise<void>;
  /** `STOP SLAVE` on the replica: it stays up and answers, with what it had. */
  stopReplication(): Promise<void>;
  startReplication(): Promise<void>;
  /** SIGKILL on the replica's server. */
  killReplica(): Promise<void>;
  /** Starts the killed replica again on its port and data, replicating as before. */
  restartReplica(): Promise<void>;
  /** Stops both servers and removes their files. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Options both servers share; small buffers and logs, so the pair starts in seconds. */
const COMMON_OPTIONS = [
  '--skip-name-resolve',
  '--innodb-buffer-pool-size=32M',
  '--innodb-log-file-size=8M',
  '--performance-schema=OFF',
];

function serverBinary(): string {
  return ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((path) => existsSync(path)) ?? 'mariadbd';
}

/** One mariadbd on its own data directory, port and socket, restartable on the same. */
class Mariadbd implements MariadbServer {
  readonly host = HOST;
  private process: ChildProcess | undefined;
  private readonly output: string[] = [];

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: string[],
  ) {}

  connect(): Promise<Connection> {
    return createConnection({ host: HOST, port: this.port, user: 'root', password: '' });
  }

  async start(): Promise<void> {
    const server = spawn(
      serverBinary(),
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        `--port=${this.port}`,
        `--bind-address=${HOST}`,
        `--socket=${join(this.dir, 'mariadbd.sock')}`,
        `--pid-file=${join(this.dir, 'mariadbd.pid')}`,
        ...COMMON_OPTIONS,
        ...this.options,
        // Only takes effect when started as root, as in CI: mariadbd refuses to run as root otherwise.
        '--user=root',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = server;
    const keep = (chunk: Buffer): void => {
      this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 50));
    };
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    try {
      await waitFor(
        async () => {
          if (server.exitCode !== null) throw new Error(`mariadbd exited with ${server.exitCode}`);
          const connection = await this.connect();
          await connection.end();
          return true;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: `mariadbd on port ${this.port} to answer` },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${this.output.slice(-20).join('\n')}`);
    }
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const server = this.process;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill(signal);
    const timer = setTimeout(() => server.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  /** For the process's exit, when nothing asynchronous runs any more. */
  killNow(): void {
    if (this.process?.exitCode === null && this.process.signalCode === null)
      this.process.kill('SIGKILL');
  }
}

async function exec(
  server: MariadbServer,
  sql: string,
  params: unknown[] = [],
): Promise<RowDataPacket[]> {
  const connection = await server.connect();
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sql, params);
    return rows;
  } finally {
    await connection.end();
  }
}

async function replicationRunning(replica: MariadbServer): Promise<boolean> {
  const [status] = await exec(replica, 'SHOW SLAVE STATUS');
  if (status?.['Slave_IO_Running'] === 'Yes' && status['Slave_SQL_Running'] === 'Yes') return true;
  const error = [status?.['Last_IO_Error'], status?.['Last_SQL_Error']].filter(Boolean).join('; ');
  if (error) throw new Error(`replication failed: ${String(error)}`);
  return false;
}

/**
 * Initialises one data directory, copies it for the replica, starts both servers and replication
 * by GTID. Whatever fails on the way, nothing is left behind; nor when the process exits before
 * `stop()`.
 */
export async function startReplicaPair(): Promise<ReplicaPair> {
  const dir = await mkdtemp(join(tmpdir(), 'ms-replica-pair-'));
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primary = new Mariadbd(primaryPort, join(dir, 'primary'), [
    `--log-bin=${join(dir, 'primary', 'data', 'binlog')}`,
    '--server-id=1',
    '--binlog-format=ROW',
  ]);
  const replica = new Mariadbd(replicaPort, join(dir, 'replica'), [
    `--relay-log=${join(dir, 'replica', 'data', 'relay')}`,
    '--server-id=2',
  ]);
  const killOnExit = (): void => {
    primary.killNow();
    replica.killNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await Promise.all([replica.kill('SIGTERM'), primary.kill('SIGTERM')]);
    await rm(dir, { recursive: true, force: true });
  };
  const startReplication = async (): Promise<void> => {
    await exec(replica, 'START SLAVE');
    await waitFor(() => replicationRunning(replica), {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: 'replication to run',
    });
  };
  try {
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${join(dir, 'primary', 'data')}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
      ...COMMON_OPTIONS,
    ]);
    // The same fresh system tables on both, before the primary logs anything: the replica then
    // starts from the primary's empty GTID position.
    await cp(join(dir, 'primary', 'data'), join(dir, 'replica', 'data'), { recursive: true });
    await Promise.all([primary.start(), replica.start()]);
    await exec(
      replica,
      `CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = 'root', MASTER_PASSWORD = '',
         MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
      [HOST, primaryPort],
    );
    await startReplication();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    primary,
    replica,
    synced: async () => {
      const [row] = await exec(primary, 'SELECT @@gtid_binlog_pos AS position');
      const [reached] = await exec(replica, 'SELECT MASTER_GTID_WAIT(?, 30) AS reached', [
        row?.['position'],
      ]);
      if (Number(reached?.['reached']) !== 0)
        throw new Error('the replica did not catch up in 30 s');
    },
    stopReplication: async () => {
      await exec(replica, 'STOP SLAVE');
    },
    startReplication,
    killReplica: () => replica.kill('SIGKILL'),
    restartReplica: async () => {
      await replica.start();
      await waitFor(() => replicationRunning(replica), {
        timeoutMs: 15_000,
        intervalMs: 50,
        what: 'replication to run again',
      });
    },
    stop,
  };
}
