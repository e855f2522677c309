// How long the gateway may need to stop cleanly, read from the code and a render: a terminating
// pod keeps serving through its preStop sleep (while endpoints drop it), then stops accepting and
// answers the requests in flight, the longest of which waits on the key set and then on a service.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './binaries.mjs';
import { appContainersOf, containerEnvironment } from './config-coverage.mjs';
import { containersOf, podTemplateOf } from './objects.mjs';

const GATEWAY_SRC = join(repoRoot, 'apps/gateway/src');

/** Closing the gateway's connections once its last request is answered: a second or two, kept generous. */
export const DRAIN_SECONDS = 5;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /(?<!\.spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Every `timeoutMs` the gateway's code gives a call made while a request waits: a number
 * (`{ value }`, milliseconds) or a setting (`{ setting }`). A type (`timeoutMs: number`) is
 * skipped; anything else is reported in `unreadable`, so a new way of setting one cannot go
 * unnoticed.
 */
export function gatewayTimeouts() {
  const timeouts = [];
  const unreadable = [];
  for (const file of sourceFiles(GATEWAY_SRC)) {
    const where = relative(repoRoot, file);
    for (const match of readFileSync(file, 'utf8').matchAll(/\btimeoutMs\??:\s*([^,\s})]+)/g)) {
      const expression = match[1];
      if (/^[\d_]+$/.test(expression)) {
        timeouts.push({ where, value: Number(expression.replaceAll('_', '')) });
      } else if (/^config\.[A-Z][A-Z0-9_]*$/.test(expression)) {
        timeouts.push({ where, setting: expression.slice('config.'.length) });
      } else if (expression !== 'number') {
        unreadable.push(`${where}: timeoutMs: ${expression}`);
      }
    }
  }
  return { timeouts, unreadable };
}

/** The gateway's Deployment, its app container and that container's environment, from a render. */
export function gatewayOf(objects) {
  const found = appContainersOf(objects).find(
    (entry) => entry.app === 'gateway' && entry.role === 'Deployment',
  );
  if (!found) throw new Error('no gateway Deployment in the render');
  const { env } = containerEnvironment(found.container, objects);
  const setting = (name) => {
    const value = Number(env.get(name)?.value);
    if (!Number.isFinite(value)) throw new Error(`the gateway has no numeric ${name}`);
    return value;
  };
  return { deployment: found.object, container: found.container, setting };
}

/** The seconds a preStop `sleep N` holds the container (0 without one). */
export function preStopSeconds(container) {
  const command = container.lifecycle?.preStop?.exec?.command ?? [];
  if (command.length === 0) return 0;
  if (command[0] !== 'sleep' || !/^\d+$/.test(String(command[1]))) {
    throw new Error(`a preStop other than "sleep N" cannot be timed: ${JSON.stringify(command)}`);
  }
  return Number(command[1]);
}

/**
 * What the gateway of a render needs and has: the longest request (the key set's timeout, then
 * the longest service call: RPC_TIMEOUT_MS or a longer one in the code), the preStop sleep, the
 * drain, and its terminationGracePeriodSeconds.
 */
export function gatewayShutdownBudget(objects) {
  const { deployment, setting } = gatewayOf(objects);
  const { timeouts, unreadable } = gatewayTimeouts();
  if (unreadable.length > 0)
    throw new Error(`timeouts that cannot be read: ${unreadable.join('; ')}`);
  const keySetMs = setting('JWT_JWKS_TIMEOUT_MS');
  const serviceCallMs = Math.max(
    setting('RPC_TIMEOUT_MS'),
    ...timeouts.filter((timeout) => 'value' in timeout).map((timeout) => timeout.value),
  );
  const longestRequestSeconds = Math.ceil((keySetMs + serviceCallMs) / 1000);
  const pod = podTemplateOf(deployment).spec;
  const preStop = Math.max(
    0,
    ...containersOf(pod).map(({ container }) => preStopSeconds(container)),
  );
  return {
    longestRequestSeconds,
    preStopSeconds: preStop,
    neededSeconds: preStop + longestRequestSeconds + DRAIN_SECONDS,
    // Kubernetes' default when the field is absent.
    gracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30,
    settingsUsed: timeouts.filter((timeout) => 'setting' in timeout).map((t) => t.setting),
  };
}
