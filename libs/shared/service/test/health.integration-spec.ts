import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BaseServiceConfig } from '@member-system/shared/config';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import type { DependencyProxies, IntegrationEnv } from '@member-system/shared/testing';
import {
  freePort,
  openIntegrationEnv,
  startDependencyProxies,
  testInfra,
  testLogger,
  waitFor,
} from '@member-system/shared/testing';
import { runService } from '../src';

/** A service with no features of its own: what it shows on its probes is the shared plumbing. */
const database: ServiceDataSourceSpec = {
  entities: [],
  migrations: [],
  migrationsTableName: 'probe_migrations',
};

const RPC_QUEUE = 'rpc.probe-service';

interface Probe {
  status: number;
  body: Record<string, unknown>;
}

describe('A service’s health probes', () => {
  let env: IntegrationEnv;
  let proxies: DependencyProxies;
  let app: NestFastifyApplication;
  let port: number;

  async function probe(path: string): Promise<Probe> {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** Readiness once it has answered `status` (a dependency's loss takes its client a moment). */
  function readinessOnce(status: number): Promise<Probe> {
    return waitFor(
      async () => {
        const answer = await probe('/health/ready');
        return answer.status === status && answer;
      },
      { what: `/health/ready to answer ${status}` },
    );
  }

  /** Consumers on the service's RPC queue, asked over the test's own connection. */
  async function rpcConsumers(): Promise<number> {
    const connection = env.amqp.connection;
    if (!connection) return 0;
    const channel = await connection.createChannel();
    channel.on('error', () => undefined); // a queue not declared yet closes the channel
    try {
      return (await channel.checkQueue(RPC_QUEUE)).consumerCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  beforeEach(async () => {
    env = await openIntegrationEnv(database);
    proxies = await startDependencyProxies();
    port = await freePort();
    const { user, password } = testInfra.rabbitmq;
    const config = Object.assign(new BaseServiceConfig(), {
      HTTP_PORT: port,
      HTTP_HOST: '127.0.0.1',
      MYSQL_PORT: proxies.mysql.port,
      MYSQL_DATABASE: env.schema,
      REDIS_PORT: proxies.redis.port,
      REDIS_PREFIX: `ms:${env.runId}:probe:`,
      RABBITMQ_URL: `amqp://${user}:${password}@127.0.0.1:${proxies.rabbitmq.port}/${env.vhost}`,
      OUTBOX_RELAY_ENABLED: false,
      JOBS_ENABLED: false,
    });
    app = await runService(
      {
        name: 'probe-service',
        rpcQueue: RPC_QUEUE,
        eventQueue: 'events.probe-service',
        subscriptions: [],
        database,
        config,
        logger: testLogger(),
      },
      [],
    );
    // Nest's RabbitMQ server subscribes after it reports started, without waiting for the broker's
    // answer: a connection cut before that answer leaves a rejection nobody handles.
    await waitFor(async () => (await rpcConsumers()) > 0, { what: 'the RPC queue consumer' });
  });

  afterEach(async () => {
    // Subscribed again before shutting down, for the same reason as above.
    await proxies.restore();
    await waitFor(async () => (await rpcConsumers()) > 0, { what: 'the RPC queue consumer' });
    await app.close();
    await proxies.close();
    await env.close();
  });

  it('is live and ready with MySQL, RabbitMQ and Redis up', async () => {
    const live = await probe('/health/live');
    const ready = await probe('/health/ready');

    expect(live).toEqual({ status: 200, body: { status: 'ok' } });
    expect(ready).toEqual({
      status: 200,
      body: {
        status: 'ok',
        info: { mysql: { status: 'up' }, rabbitmq: { status: 'up' }, redis: { status: 'up' } },
        error: {},
        details: {
          mysql: { status: 'up' },
          rabbitmq: { status: 'up' },
          redis: { status: 'up' },
        },
        degraded: [],
      },
    });
  });

  it('stays ready without Redis, which it shows down and degraded', async () => {
    await proxies.redis.stop();

    const ready = await waitFor(
      async () => {
        const answer = await probe('/health/ready');
        return (answer.body['degraded'] as string[]).includes('redis') && answer;
      },
      { what: 'redis to show as degraded' },
    );

    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      error: {},
      details: { redis: { status: 'down' }, mysql: { status: 'up' }, rabbitmq: { status: 'up' } },
      degraded: ['redis'],
    });
  });

  it('answers 503 naming RabbitMQ when it is unreachable', async () => {
    await proxies.rabbitmq.stop();

    const ready = await readinessOnce(503);

    expect(ready.body).toMatchObject({
      status: 'error',
      error: { rabbitmq: { status: 'down' } },
      info: { mysql: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(Object.keys(ready.body['error'] as object)).toEqual(['rabbitmq']);
  });

  it('answers 503 naming MySQL when it is unreachable', async () => {
    await proxies.mysql.stop();

    const ready = await readinessOnce(503);

    expect(ready.body).toMatchObject({
      status: 'error',
      error: { mysql: { status: 'down' } },
      info: { rabbitmq: { status: 'up' }, redis: { status: 'up' } },
    });
    expect(Object.keys(ready.body['error'] as object)).toEqual(['mysql']);
  });

  it('answers 503 within its timeout when MySQL and RabbitMQ accept but never answer', async () => {
    proxies.mysql.stall();
    proxies.rabbitmq.stall();

    const ready = await probe('/health/ready');

    expect(ready).toEqual({
      status: 503,
      body: expect.objectContaining({
        status: 'error',
        error: {
          mysql: { status: 'down', message: 'no answer in 2000 ms' },
          rabbitmq: { status: 'down', message: 'no answer in 2000 ms' },
        },
      }) as unknown,
    });
  });
});
