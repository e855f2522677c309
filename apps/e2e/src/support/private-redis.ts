// A Redis server of a test's own, which the test can freeze or kill: the shared one must never be.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@member-system/shared/testing';

export interface PrivateRedis {
  host: string;
  port: number;
  /** SIGSTOP: connections stay open and every command hangs, as in the chaos run's Redis fault. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** SIGKILL: connections drop and new ones are refused; its data is gone (no persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function killed(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGCONT');
  server.kill('SIGKILL');
  await exited;
}

/** redis-server on a free port, no persistence, resolving once it accepts connections. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'ms-redis-'));
  const host = '127.0.0.1';
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    server = started;
    await waitFor(
      async () => {
        if (started.exitCode !== null)
          throw new Error(`redis-server exited with ${started.exitCode}`);
        return portOpen(host, port);
      },
      { timeoutMs: 10_000, intervalMs: 50, what: 'the private Redis to accept connections' },
    );
  };
  const stop = async (): Promise<void> => {
    await killed(server);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host,
    port,
    freeze: () => server?.kill('SIGSTOP'),
    thaw: () => server?.kill('SIGCONT'),
    kill: () => killed(server),
    restart: start,
    stop,
  };
}
