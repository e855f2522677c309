import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testInfra } from './test-run';

const run = promisify(execFile);

/**
 * fetch's network failure. Checked by shape: under Jest, fetch's errors come from Node's own
 * realm, not the test context's, so `instanceof` (Error or TypeError) is false.
 */
function managementUnreachable(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'TypeError' && message === 'fetch failed';
}

async function management(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const { user, password, managementUrl } = testInfra.rabbitmq;
  const response = await fetch(`${managementUrl}/api${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(
      `RabbitMQ management ${method} ${path}: ${response.status} ${await response.text()}`,
    );
  }
}

/**
 * A vhost of the test's own, through the management API, or `rabbitmqctl` where the management
 * plugin is off (CI enables it; a laptop's compose image has it).
 */
export async function createVhost(vhost: string): Promise<void> {
  const name = encodeURIComponent(vhost);
  try {
    await management('PUT', `/vhosts/${name}`);
    await management('PUT', `/permissions/${name}/${encodeURIComponent(testInfra.rabbitmq.user)}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
  } catch (error) {
    if (!managementUnreachable(error)) throw error;
    await run('rabbitmqctl', ['add_vhost', vhost]);
    await run('rabbitmqctl', [
      'set_permissions',
      '-p',
      vhost,
      testInfra.rabbitmq.user,
      '.*',
      '.*',
      '.*',
    ]);
  }
}

export async function deleteVhost(vhost: string): Promise<void> {
  try {
    await management('DELETE', `/vhosts/${encodeURIComponent(vhost)}`);
  } catch (error) {
    if (!managementUnreachable(error)) throw error;
    await run('rabbitmqctl', ['delete_vhost', vhost]);
  }
}
