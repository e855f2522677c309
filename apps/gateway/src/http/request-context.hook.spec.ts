import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Histogram } from 'prom-client';
import { AppMetrics } from '@member-system/shared/observability';
import { registerRequestContext } from './request-context.hook';

describe(registerRequestContext.name, () => {
  let fastify: FastifyInstance;
  let metrics: AppMetrics;

  beforeEach(async () => {
    fastify = Fastify();
    metrics = new AppMetrics('gateway');
    registerRequestContext(fastify, pino({ level: 'silent' }), metrics);
    fastify.get('/api/v1/members/:id', async (request, reply) =>
      (request.params as { id: string }).id === '404' ? reply.code(404).send({}) : { ok: true },
    );
    fastify.get('/health/live', (_request, reply) => reply.send({ ok: true }));
    await fastify.ready();
  });

  afterEach(() => fastify.close());

  async function responseCounts(): Promise<Record<string, number>> {
    const { values } = await (
      metrics.registry.getSingleMetric('member_api_response_seconds') as Histogram
    ).get();
    return Object.fromEntries(
      values
        .filter((value) => value.metricName === 'member_api_response_seconds_count')
        .map(({ labels, value }) => [
          `${labels.method} ${labels.route} ${labels.status_class}`,
          value,
        ]),
    );
  }

  it('observes each API answer under its route template and status class', async () => {
    await fastify.inject({ method: 'GET', url: '/api/v1/members/7' });
    await fastify.inject({ method: 'GET', url: '/api/v1/members/8' });
    await fastify.inject({ method: 'GET', url: '/api/v1/members/404' });

    await expect(responseCounts()).resolves.toEqual({
      'GET /api/v1/members/:id 2xx': 2,
      'GET /api/v1/members/:id 4xx': 1,
    });
  });

  it('leaves probes out of the API response time', async () => {
    await fastify.inject({ method: 'GET', url: '/health/live' });

    await expect(responseCounts()).resolves.toEqual({});
  });
});
