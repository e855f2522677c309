import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DependencyProxies, IntegrationEnv } from '@member-system/shared/testing';
import {
  openIntegrationEnv,
  startDependencyProxies,
  testInfra,
  testLogger,
  waitFor,
} from '@member-system/shared/testing';
import { GatewayConfig } from '../src/config/gateway.config';
import { gatewayDatabase } from '../src/database/data-source';
import { GatewayModule } from '../src/gateway.module';
import { HttpExceptionFilter } from '../src/http/http-exception.filter';

interface Probe {
  status: number;
  body: Record<string, unknown>;
}

describe('The gateway’s health probes', () => {
  let env: IntegrationEnv;
  let proxies: DependencyProxies;
  let app: NestFastifyApplication;

  async function readiness(): Promise<Probe> {
    const response = await app.inject({ method: 'GET', url: '/health/ready' });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  }

  /** Readiness once `done` holds (a dependency's loss takes its client a moment to notice). */
  function readinessWhen(done: (probe: Probe) => boolean, what: string): Promise<Probe> {
    return waitFor(
      async () => {
        const answer = await readiness();
        return done(answer) && answer;
      },
      { what },
    );
  }

  const degraded = (probe: Probe, key: string): boolean =>
    (probe.body['degraded'] as string[]).includes(key);

  beforeEach(async () => {
    env = await openIntegrationEnv(gatewayDatabase);
    proxies = await startDependencyProxies();
    const { user, password } = testInfra.rabbitmq;
    const config = Object.assign(new GatewayConfig(), {
      MYSQL_PORT: proxies.mysql.port,
      MYSQL_DATABASE: env.schema,
      REDIS_PORT: proxies.redis.port,
      REDIS_PREFIX: `ms:${env.runId}:gw:`,
      RABBITMQ_URL: `amqp://${user}:${password}@127.0.0.1:${proxies.rabbitmq.port}/${env.vhost}`,
    });
    const logger = testLogger();
    app = await NestFactory.create<NestFastifyApplication>(
      GatewayModule.register(config, logger),
      new FastifyAdapter(),
      { logger: false },
    );
    app.useGlobalFilters(new HttpExceptionFilter(logger));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterEach(async () => {
    await proxies.restore();
    await app.close();
    await proxies.close();
    await env.close();
  });

  it('is live, and ready with RabbitMQ, MySQL and Redis up and the read-only mode shown', async () => {
    const live = await app.inject({ method: 'GET', url: '/health/live' });

    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    await expect(readiness()).resolves.toEqual({
      status: 200,
      body: {
        status: 'ok',
        info: { rabbitmq: { status: 'up' }, mysql: { status: 'up' }, redis: { status: 'up' } },
        error: {},
        details: {
          rabbitmq: { status: 'up' },
          mysql: { status: 'up' },
          redis: { status: 'up' },
        },
        degraded: [],
        readOnly: { enabled: false },
      },
    });
  });

  it('stays ready without Redis or its MySQL, both shown degraded', async () => {
    await proxies.redis.stop();
    await proxies.mysql.stop();

    const ready = await readinessWhen(
      (probe) => degraded(probe, 'redis') && degraded(probe, 'mysql'),
      'redis and mysql to show as degraded',
    );

    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { rabbitmq: { status: 'up' } },
      error: {},
      details: { redis: { status: 'down' }, mysql: { status: 'down' } },
    });
  });

  it('answers 503 with terminus’s body, through its error filter, when RabbitMQ is unreachable', async () => {
    await proxies.rabbitmq.stop();

    const ready = await readinessWhen((probe) => probe.status === 503, '/health/ready to be 503');

    expect(ready.body).toMatchObject({
      status: 'error',
      error: { rabbitmq: { status: 'down' } },
      info: { mysql: { status: 'up' }, redis: { status: 'up' } },
      degraded: [],
      readOnly: { enabled: false },
    });
  });
});
