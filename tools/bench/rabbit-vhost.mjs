// RabbitMQ vhosts for a run: through the management API (docker/compose.yml's image has it), or with
// rabbitmqctl on a broker installed without the management plugin.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dependencySettings } from '../dev/dependencies.mjs';

const run = promisify(execFile);

function brokerOf(env) {
  const url = new URL(dependencySettings(env).rabbitmq.url);
  return {
    user: decodeURIComponent(url.username || 'guest'),
    password: decodeURIComponent(url.password || 'guest'),
    management: env.RABBITMQ_MANAGEMENT_URL || `http://${url.hostname}:15672`,
  };
}

/** Calls the management API; resolves false when nothing answers there (no plugin). */
async function management(env, method, path, body) {
  const { user, password, management: base } = brokerOf(env);
  let response;
  try {
    response = await fetch(`${base}/api${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    if (error?.cause?.code === 'ECONNREFUSED') return false;
    throw error;
  }
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(`RabbitMQ management ${method} ${path}: ${response.status}`);
  }
  return true;
}

export async function createVhost(vhost, env = process.env) {
  const { user } = brokerOf(env);
  const name = encodeURIComponent(vhost);
  if (await management(env, 'PUT', `/vhosts/${name}`)) {
    await management(env, 'PUT', `/permissions/${name}/${encodeURIComponent(user)}`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
    return;
  }
  await run('rabbitmqctl', ['-q', 'add_vhost', vhost]);
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, user, '.*', '.*', '.*']);
}

export async function deleteVhost(vhost, env = process.env) {
  if (await management(env, 'DELETE', `/vhosts/${encodeURIComponent(vhost)}`)) return;
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_vhosts', 'name']);
  if (stdout.split('\n').includes(vhost)) await run('rabbitmqctl', ['-q', 'delete_vhost', vhost]);
}
