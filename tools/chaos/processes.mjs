// Child processes that chaos owns: each in its own process group, output to a log file, all of them
// killed when chaos exits for any reason (normal end, failure, Ctrl-C).
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set();

/**
 * Starts `command args` detached (own process group) with stdout and stderr appended to `logFile`.
 * The handle has `child`, `pid`, `exited` (resolves with `{ code, signal }`) and `exit` once done.
 */
export function spawnLogged(name, command, args, { env = process.env, cwd, logFile }) {
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const handle = { name, child, pid: child.pid, exit: undefined, exited: undefined };
  live.add(handle);
  handle.exited = new Promise((resolve) => {
    const done = (code, signal) => {
      if (handle.exit) return;
      handle.exit = { code, signal };
      live.delete(handle);
      resolve(handle.exit);
    };
    child.once('exit', done);
    child.once('error', (error) => done(null, `spawn error: ${error.message}`));
  });
  return handle;
}

/** Sends `signal` to the handle's whole process group; false when it has already gone. */
export function signalGroup(handle, signal) {
  if (!handle || handle.exit) return false;
  try {
    process.kill(-handle.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the process has exited. */
export async function stopGroup(handle, graceMs = 20_000) {
  if (!handle || handle.exit) return handle?.exit;
  signalGroup(handle, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(handle, 'SIGKILL'), graceMs);
  const exit = await handle.exited;
  clearTimeout(timer);
  return exit;
}

/** Every process group still running, SIGKILLed at once (the synchronous last resort on exit). */
export function killAllNow() {
  for (const handle of live) {
    signalGroup(handle, 'SIGCONT');
    signalGroup(handle, 'SIGKILL');
  }
}

export function liveProcesses() {
  return [...live];
}

/** Resolves when something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** Polls `check` (async, truthy = done) every `intervalMs` until `timeoutMs`; throws `what` on timeout. */
export async function waitUntil(check, { timeoutMs, intervalMs = 200, what, handle }) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    if (handle?.exit) {
      throw new Error(`${what}: process exited (${JSON.stringify(handle.exit)})`);
    }
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}
