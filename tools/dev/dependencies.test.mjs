// Unit tests of the dev runner's dependency settings and its "MySQL/Redis/RabbitMQ missing" report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dependencySettings, formatDependencyReport, redactUrl } from './dependencies.mjs';

const ok = (name, address) => ({ name, address, ok: true, debian: '', variables: '' });

describe('dependencySettings', () => {
  it('uses the local defaults the apps use', () => {
    assert.deepEqual(dependencySettings({}), {
      mysql: { host: '127.0.0.1', port: 3306, user: 'root', password: '' },
      redis: { host: '127.0.0.1', port: 6379, password: '', db: 0 },
      rabbitmq: { url: 'amqp://guest:guest@127.0.0.1:5672' },
    });
  });

  it('reads the same environment variables, ignoring empty ones', () => {
    const settings = dependencySettings({
      MYSQL_HOST: 'db',
      MYSQL_PORT: '3307',
      REDIS_PORT: '6390',
      MYSQL_USER: '',
    });

    assert.equal(settings.mysql.host, 'db');
    assert.equal(settings.mysql.port, 3307);
    assert.equal(settings.mysql.user, 'root');
    assert.equal(settings.redis.port, 6390);
  });

  it('hides the RabbitMQ password in addresses', () => {
    assert.equal(redactUrl('amqp://guest:secret@mq:5672/%2F'), 'amqp://guest:***@mq:5672/%2F');
    assert.equal(redactUrl('amqp://mq:5672'), 'amqp://mq:5672');
  });
});

describe('formatDependencyReport', () => {
  const redisDown = {
    name: 'Redis',
    address: '127.0.0.1:6390',
    ok: false,
    unreachable: true,
    reason: 'connect ECONNREFUSED 127.0.0.1:6390',
    debian: 'redis-server --daemonize yes',
    variables: 'REDIS_HOST, REDIS_PORT, REDIS_PASSWORD',
  };

  it('is one line when everything answers', () => {
    const report = formatDependencyReport([
      ok('MySQL', '127.0.0.1:3306'),
      ok('Redis', '127.0.0.1:6379'),
    ]);

    assert.equal(report, '✓ MySQL 127.0.0.1:3306 · Redis 127.0.0.1:6379');
  });

  it('names what is missing, where it was looked for, why, and how to start it', () => {
    const report = formatDependencyReport([ok('MySQL', '127.0.0.1:3306'), redisDown]);

    assert.match(report, /✓ MySQL answers at 127\.0\.0\.1:3306/);
    assert.match(report, /✗ Redis does not answer at 127\.0\.0\.1:6390/);
    assert.match(report, /Redis: connect ECONNREFUSED 127\.0\.0\.1:6390/);
    assert.ok(report.includes('docker compose -f docker/compose.yml up -d'));
    assert.ok(report.includes('redis-server --daemonize yes'));
    assert.ok(report.includes('REDIS_HOST, REDIS_PORT'));
    assert.match(report, /not usable: Redis\.$/);
  });

  it('lists every missing one at once', () => {
    const mq = {
      ...redisDown,
      name: 'RabbitMQ',
      address: 'amqp://guest:***@127.0.0.1:5672',
      debian: 'sudo rabbitmq-server -detached',
    };

    const report = formatDependencyReport([ok('MySQL', 'x'), redisDown, mq]);

    assert.ok(report.includes('sudo rabbitmq-server -detached'));
    assert.match(report, /not usable: Redis, RabbitMQ\.$/);
  });

  it('points at the credentials, not at starting it, when the server refused the login', () => {
    const denied = {
      ...redisDown,
      name: 'MySQL',
      address: '127.0.0.1:3306 (user root)',
      unreachable: false,
      reason: "ER_ACCESS_DENIED_ERROR: Access denied for user 'root'",
      variables: 'MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD',
    };

    const report = formatDependencyReport([denied]);

    assert.match(report, /✗ MySQL refused the connection at 127\.0\.0\.1:3306/);
    assert.match(report, /check MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD/);
    assert.ok(!report.includes('docker compose'));
  });
});
