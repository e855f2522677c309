import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait-for';

export const FLEET_APPS = [
  'gateway',
  'member-service',
  'point-service',
  'benefit-service',
  'event-service',
] as const;
export type FleetApp = (typeof FLEET_APPS)[number];

export interface RunningApp {
  app: FleetApp;
  port: number;
  process: ChildProcess;
  /** The last lines the app printed, for failure messages. */
  output: string[];
}

/** The repository root, from this file's place in libs/shared/testing/src or its dist copy. */
export const repoRoot = join(
  __dirname,
  __dirname.includes(`${'/dist/'}`) ? '../../../../..' : '../../../..',
);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function collect(child: ChildProcess, output: string[]): void {
  const keep = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
}

/** Runs an app's `migrate` entry from dist/ and resolves when it exits 0. */
export async function migrateApp(app: FleetApp, env: NodeJS.ProcessEnv): Promise<void> {
  const output: string[] = [];
  const child = spawn(process.execPath, [join(repoRoot, 'dist/apps', app, 'src/migrate.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  collect(child, output);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0)
    throw new Error(`${app} migration exited ${String(code)}:\n${output.slice(-20).join('\n')}`);
}

/** Starts an app from dist/ and waits until its /health/ready answers 200. */
export async function startApp(
  app: FleetApp,
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<RunningApp> {
  const output: string[] = [];
  const child = spawn(process.execPath, [join(repoRoot, 'dist/apps', app, 'src/main.js')], {
    env: { ...process.env, ...env, HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  collect(child, output);
  const running: RunningApp = { app, port, process: child, output };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
        return response.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `${app} to be ready` },
    );
  } catch (error) {
    await stopApp(running);
    throw new Error(`${(error as Error).message}\n${output.slice(-20).join('\n')}`);
  }
  return running;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves with how it ended. */
export async function stopApp(
  running: RunningApp,
  graceMs = 10_000,
): Promise<{ code: number | null; signal: string | null }> {
  const child = running.process;
  if (child.exitCode !== null || child.signalCode !== null) {
    return { code: child.exitCode, signal: child.signalCode };
  }
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await exited;
  clearTimeout(timer);
  return result;
}
