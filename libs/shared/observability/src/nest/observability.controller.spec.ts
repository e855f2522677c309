import { Module } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import pino from 'pino';
import { HEALTH_INDICATORS, HEALTH_INFO, healthModule } from '../health';
import type { HealthInfo, ReadinessIndicator } from '../health';
import { AppMetrics } from '../metrics';
import { ObservabilityController } from './observability.controller';

function replyRecordingStatus(): FastifyReply & { statusCode: number } {
  const reply = {
    statusCode: 0,
    status(code: number) {
      reply.statusCode = code;
      return reply;
    },
  };
  return reply as unknown as FastifyReply & { statusCode: number };
}

const up = (key: string) => () => Promise.resolve({ [key]: { status: 'up' as const } });
const down = (key: string, message: string) => () =>
  Promise.resolve({ [key]: { status: 'down' as const, message } });

/** The controller with terminus's real HealthCheckService, over the given indicators. */
async function controllerWith(
  indicators: ReadinessIndicator[],
  info?: HealthInfo[],
): Promise<{ sut: ObservabilityController; app: INestApplicationContext; logged: string[] }> {
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
  @Module({
    imports: [healthModule(logger)],
    controllers: [ObservabilityController],
    providers: [
      { provide: HEALTH_INDICATORS, useValue: indicators },
      { provide: AppMetrics, useValue: new AppMetrics('probe') },
      ...(info ? [{ provide: HEALTH_INFO, useValue: info }] : []),
    ],
  })
  class ProbeModule {}
  const app = await NestFactory.createApplicationContext(ProbeModule, { logger: false });
  return { sut: app.get(ObservabilityController), app, logged };
}

describe(`${ObservabilityController.name} readiness`, () => {
  let app: INestApplicationContext | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('is ready with every indicator up, in terminus body', async () => {
    const context = await controllerWith([
      { indicator: up('mysql'), requiredForReadiness: true },
      { indicator: up('redis'), requiredForReadiness: false },
    ]);
    app = context.app;
    const reply = replyRecordingStatus();

    const report = await context.sut.ready(reply);

    expect(reply.statusCode).toBe(200);
    expect(report).toEqual({
      status: 'ok',
      info: { mysql: { status: 'up' }, redis: { status: 'up' } },
      error: {},
      details: { mysql: { status: 'up' }, redis: { status: 'up' } },
      degraded: [],
    });
  });

  it('stays ready when an indicator not required is down, and names it degraded', async () => {
    const context = await controllerWith([
      { indicator: up('mysql'), requiredForReadiness: true },
      { indicator: down('redis', 'connect ECONNREFUSED'), requiredForReadiness: false },
    ]);
    app = context.app;
    const reply = replyRecordingStatus();

    const report = await context.sut.ready(reply);

    expect(reply.statusCode).toBe(200);
    expect(report).toEqual({
      status: 'ok',
      info: { mysql: { status: 'up' } },
      error: {},
      details: {
        mysql: { status: 'up' },
        redis: { status: 'down', message: 'connect ECONNREFUSED' },
      },
      degraded: ['redis'],
    });
    expect(context.logged).toEqual([]);
  });

  it('answers 503 naming a required indicator that is down, logged through pino', async () => {
    const context = await controllerWith([
      { indicator: down('rabbitmq', 'not connected to RabbitMQ'), requiredForReadiness: true },
      { indicator: up('mysql'), requiredForReadiness: true },
      { indicator: down('redis', 'connect ECONNREFUSED'), requiredForReadiness: false },
    ]);
    app = context.app;
    const reply = replyRecordingStatus();

    const report = await context.sut.ready(reply);

    expect(reply.statusCode).toBe(503);
    expect(report).toEqual({
      status: 'error',
      info: { mysql: { status: 'up' } },
      error: { rabbitmq: { status: 'down', message: 'not connected to RabbitMQ' } },
      details: {
        rabbitmq: { status: 'down', message: 'not connected to RabbitMQ' },
        mysql: { status: 'up' },
        redis: { status: 'down', message: 'connect ECONNREFUSED' },
      },
      degraded: ['redis'],
    });
    expect(context.logged).toHaveLength(1);
    expect(JSON.parse(context.logged[0] ?? '{}')).toMatchObject({
      level: 50,
      msg: expect.stringContaining('"rabbitmq":{"status":"down"') as unknown,
    });
  });

  it('shows info entries beside the checks and stays ready', async () => {
    const context = await controllerWith(
      [{ indicator: up('rabbitmq'), requiredForReadiness: true }],
      [{ name: 'readOnly', describe: () => Promise.resolve({ enabled: true, source: 'admin' }) }],
    );
    app = context.app;
    const reply = replyRecordingStatus();

    const report = await context.sut.ready(reply);

    expect(reply.statusCode).toBe(200);
    expect(report).toMatchObject({
      status: 'ok',
      info: { rabbitmq: { status: 'up' } },
      readOnly: { enabled: true, source: 'admin' },
    });
  });

  it('shows an info entry that fails as its error without failing readiness', async () => {
    const context = await controllerWith(
      [{ indicator: up('rabbitmq'), requiredForReadiness: true }],
      [{ name: 'readOnly', describe: () => Promise.reject(new Error('no state')) }],
    );
    app = context.app;
    const reply = replyRecordingStatus();

    const report = await context.sut.ready(reply);

    expect(reply.statusCode).toBe(200);
    expect(report).toMatchObject({ status: 'ok', readOnly: { error: 'no state' } });
  });

  it('is live whatever its dependencies', async () => {
    const context = await controllerWith([
      { indicator: down('mysql', 'connect ECONNREFUSED'), requiredForReadiness: true },
    ]);
    app = context.app;

    expect(context.sut.live()).toEqual({ status: 'ok' });
  });
});
