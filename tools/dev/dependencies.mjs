// Checks that MySQL, Redis and RabbitMQ answer before the fleet starts, and says how to start the missing ones.
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';

const COMPOSE = 'docker compose -f docker/compose.yml up -d';
/** Errors that mean "nothing answered there", as opposed to "it answered and said no". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TIMEOUT',
]);

/** The settings the apps read (same variables, same local defaults). */
export function dependencySettings(env = process.env) {
  const value = (name, fallback) =>
    env[name] === undefined || env[name] === '' ? fallback : env[name];
  return {
    mysql: {
      host: value('MYSQL_HOST', '127.0.0.1'),
      port: Number(value('MYSQL_PORT', '3306')),
      user: value('MYSQL_USER', 'root'),
      password: value('MYSQL_PASSWORD', ''),
    },
    redis: {
      host: value('REDIS_HOST', '127.0.0.1'),
      port: Number(value('REDIS_PORT', '6379')),
      password: value('REDIS_PASSWORD', ''),
      db: Number(value('REDIS_DB', '0')),
    },
    rabbitmq: { url: value('RABBITMQ_URL', 'amqp://guest:guest@127.0.0.1:5672') },
  };
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'TIMEOUT' })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function pingMysql({ host, port, user, password }, timeoutMs) {
  const connection = await mysql.createConnection({
    host,
    port,
    user,
    password,
    connectTimeout: timeoutMs,
  });
  try {
    await connection.ping();
  } finally {
    connection.destroy();
  }
}

async function pingRedis({ host, port, password, db }, timeoutMs) {
  const redis = new Redis({
    host,
    port,
    password: password || undefined,
    db,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // connect() rejects with a bare "Connection is closed."; the error event has the cause.
  let cause;
  redis.on('error', (error) => (cause ??= error));
  try {
    await redis.connect().catch((error) => Promise.reject(cause ?? error));
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function pingRabbitmq({ url }, timeoutMs) {
  const connection = await amqp.connect(url, { timeout: timeoutMs });
  connection.on('error', () => {});
  await connection.close();
}

/** What each dependency is, where it is looked for and how to start it locally. */
export const DEPENDENCIES = [
  {
    key: 'mysql',
    name: 'MySQL',
    address: (s) => `${s.host}:${s.port} (user ${s.user})`,
    ping: pingMysql,
    debian: 'sudo service mariadb start',
    variables: 'MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD',
  },
  {
    key: 'redis',
    name: 'Redis',
    address: (s) => `${s.host}:${s.port}`,
    ping: pingRedis,
    debian: 'redis-server --daemonize yes',
    variables: 'REDIS_HOST, REDIS_PORT, REDIS_PASSWORD',
  },
  {
    key: 'rabbitmq',
    name: 'RabbitMQ',
    address: (s) => redactUrl(s.url),
    ping: pingRabbitmq,
    debian: 'sudo rabbitmq-server -detached',
    variables: 'RABBITMQ_URL',
  },
];

/**
 * Tries all three at once, each bounded by `timeoutMs`.
 * @returns {Promise<Array<{ name: string, address: string, ok: boolean, reason?: string,
 *   unreachable?: boolean, debian: string, variables: string }>>}
 */
export async function checkDependencies(
  settings = dependencySettings(),
  { timeoutMs = 3000 } = {},
) {
  return Promise.all(
    DEPENDENCIES.map(async ({ key, name, address, ping, debian, variables }) => {
      const result = { name, address: address(settings[key]), debian, variables };
      try {
        await withTimeout(ping(settings[key], timeoutMs), timeoutMs + 500);
        return { ...result, ok: true };
      } catch (error) {
        const code = error?.code ?? error?.cause?.code;
        const message = error?.message || String(error);
        const reason = code && !message.includes(code) ? `${code}: ${message}` : message;
        return {
          ...result,
          ok: false,
          reason,
          unreachable: UNREACHABLE.has(code) || /timed? ?out/i.test(reason),
        };
      }
    }),
  );
}

/** The report printed when something is missing (or a one-liner when all answer). Pure. */
export function formatDependencyReport(results) {
  const failed = results.filter((result) => !result.ok);
  if (failed.length === 0) return `✓ ${results.map((r) => `${r.name} ${r.address}`).join(' · ')}`;

  const lines = results.map((r) => {
    if (r.ok) return `✓ ${r.name} answers at ${r.address}`;
    return `✗ ${r.name} ${r.unreachable ? 'does not answer' : 'refused the connection'} at ${r.address}`;
  });
  for (const r of failed) {
    lines.push('', `${r.name}: ${r.reason}`);
    if (r.unreachable) {
      lines.push(
        `  Start it with Docker:  ${COMPOSE}`,
        `  or on Debian/Ubuntu:   ${r.debian}`,
        `  If it runs elsewhere, set ${r.variables}.`,
      );
    } else {
      lines.push(`  It is running but refused the connection: check ${r.variables}.`);
    }
  }
  const missing = failed.map((r) => r.name).join(', ');
  lines.push('', `npm start needs MySQL (or MariaDB), Redis and RabbitMQ; not usable: ${missing}.`);
  return lines.join('\n');
}
