// Runs the apps as child processes (build, migrations, servers): output by line, readiness polling, clean stop.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_COLORS } from './log-format.mjs';

export const APPS = Object.freeze([
  { name: 'gateway', port: 3000 },
  { name: 'member-service', port: 3001 },
  { name: 'point-service', port: 3002 },
  { name: 'benefit-service', port: 3003 },
  { name: 'event-service', port: 3004 },
]);

/** Per-app port override, e.g. GATEWAY_HTTP_PORT (HTTP_PORT itself is set per child). */
export const portVariable = (name) => `${name.replaceAll('-', '_').toUpperCase()}_HTTP_PORT`;

/** The apps named in `--only` (all by default), with their port and color. Throws on an unknown name. */
export function selectApps(only, env = process.env) {
  const names = only
    ? only
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : APPS.map((app) => app.name);
  const unknown = names.filter((name) => !APPS.some((app) => app.name === name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(
      `--only: unknown app(s) "${unknown.join(', ')}"; known: ${APPS.map((app) => app.name).join(', ')}`,
    );
  }
  return APPS.flatMap((app, index) =>
    names.includes(app.name)
      ? [
          {
            ...app,
            port: Number(env[portVariable(app.name)] || app.port),
            color: APP_COLORS[index],
          },
        ]
      : [],
  );
}

/** The ports of `apps` that something else already listens on. */
export async function busyPorts(apps, host) {
  const free = (port) =>
    new Promise((resolve) => {
      const server = createServer();
      // Only "in use" counts: any other error (a bad HTTP_HOST) is for the app to report.
      server.once('error', (error) => resolve(error.code !== 'EADDRINUSE'));
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
    });
  const checked = await Promise.all(apps.map(async (app) => ({ app, free: await free(app.port) })));
  return checked.filter((entry) => !entry.free).map((entry) => entry.app);
}

/**
 * Polls `url` until it answers 200 (→ `{ ready: true }`), the process exits (→ `{ exited: true }`)
 * or `timeoutMs` passes (→ `{ ready: false, last }` with the last answer or error).
 */
export async function waitReady(handle, url, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (handle.exit === undefined) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.status === 200) return { ready: true };
      last = `HTTP ${response.status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = error?.cause?.code ?? error?.message ?? String(error);
    }
    if (Date.now() >= deadline) return { ready: false, last };
    await sleep(intervalMs);
  }
  return { ready: false, exited: true };
}

/**
 * The child processes of one runner. Each runs in its own process group, so a terminal's Ctrl-C
 * reaches only the runner, which then stops the children in order (one SIGTERM each).
 */
export class Fleet {
  #live = new Set();

  /**
   * Starts `node <script>`. The handle's `tail` keeps the last lines it printed, `exit` is set to
   * `{ code, signal }` once it has exited and its output is drained, `exited` resolves with it.
   */
  run(name, script, { env, cwd, onLine = () => {}, keep = 40 }) {
    const child = spawn(process.execPath, [script], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const handle = { name, child, tail: [], exit: undefined, exited: undefined };
    const take = (line) => {
      handle.tail.push(line);
      if (handle.tail.length > keep) handle.tail.shift();
      onLine(line);
    };
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', take);
    }
    child.on('error', (error) => take(`could not start: ${error.message}`));
    this.#live.add(handle);
    handle.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        handle.exit = { code, signal };
        this.#live.delete(handle);
        resolve(handle.exit);
      }),
    );
    return handle;
  }

  get running() {
    return [...this.#live];
  }

  /** SIGKILL goes to the whole process group, other signals to the app process only. */
  signal(signal) {
    for (const { child } of this.#live) {
      try {
        process.kill(signal === 'SIGKILL' ? -child.pid : child.pid, signal);
      } catch {
        // already gone
      }
    }
  }

  /** SIGTERM to all, SIGKILL what is left after `graceMs`. Resolves with the names that had to be killed. */
  async stop(graceMs) {
    const handles = this.running;
    this.signal('SIGTERM');
    let timer;
    const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(handles.map((handle) => handle.exited)), grace]);
    clearTimeout(timer);
    const killed = this.running.map((handle) => handle.name);
    if (killed.length > 0) {
      this.signal('SIGKILL');
      await Promise.all(handles.map((handle) => handle.exited));
    }
    return killed;
  }
}
