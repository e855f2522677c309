import { randomBytes } from 'node:crypto';

/**
 * A short id unique to one test run (or one test file), used in schema names, the RabbitMQ vhost
 * and Redis prefixes, so concurrent runs and a local fleet never see each other's data.
 */
export function newTestRunId(): string {
  return `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Local defaults, overridable like the apps' own settings. */
export const testInfra = {
  mysql: {
    host: process.env['MYSQL_HOST'] ?? '127.0.0.1',
    port: Number(process.env['MYSQL_PORT'] ?? 3306),
    username: process.env['MYSQL_USER'] ?? 'root',
    password: process.env['MYSQL_PASSWORD'] ?? '',
  },
  redis: {
    host: process.env['REDIS_HOST'] ?? '127.0.0.1',
    port: Number(process.env['REDIS_PORT'] ?? 6379),
  },
  rabbitmq: {
    host: process.env['RABBITMQ_HOST'] ?? '127.0.0.1',
    port: Number(process.env['RABBITMQ_PORT'] ?? 5672),
    user: process.env['RABBITMQ_USER'] ?? 'guest',
    password: process.env['RABBITMQ_PASSWORD'] ?? 'guest',
    managementUrl: process.env['RABBITMQ_MANAGEMENT_URL'] ?? 'http://127.0.0.1:15672',
  },
};

export function amqpUrl(vhost: string): string {
  const { user, password, host, port } = testInfra.rabbitmq;
  return `amqp://${user}:${password}@${host}:${port}/${encodeURIComponent(vhost)}`;
}
