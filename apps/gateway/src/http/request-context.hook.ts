import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AppMetrics } from '@member-system/shared/observability';
import { newCorrelationId, sanitizeCorrelationId } from '@member-system/shared/observability';

import { ApiMetrics } from './api-metrics';

export const CORRELATION_HEADER = 'x-correlation-id';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's `X-Correlation-Id` if sane, else a new one; echoed in the response. */
    correlationId: string;
  }
}

/**
 * Gives each request a correlation id (the caller's `X-Correlation-Id` if sane, else a new one),
 * keeps it on the request and echoes it in the response, and logs and measures each request once
 * it is answered. The gateway keeps no async context for it: an AsyncLocalStorage puts a hook on
 * every promise of the process, and a request makes 60–80 of them here. Controllers pass the id
 * on through the actor the AuthGuard makes (`correlationIdOf`).
 */
export function registerRequestContext(
  fastify: FastifyInstance,
  logger: Logger,
  metrics: AppMetrics,
): void {
  fastify.decorateRequest('correlationId', '');
  fastify.addHook('onRequest', (request, reply, done) => {
    const correlationId =
      sanitizeCorrelationId(request.headers[CORRELATION_HEADER]) ?? newCorrelationId();
    request.correlationId = correlationId;
    void reply.header(CORRELATION_HEADER, correlationId);
    done();
  });
  const api = new ApiMetrics(metrics.registry);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      seconds,
    );
    if (route.startsWith('/api/')) api.observe(request.method, route, reply.statusCode, seconds);
    // Probes and scrapes would drown the access log.
    if (route.startsWith('/health') || route === '/metrics') return done();
    logger.info(
      {
        method: request.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        correlationId: request.correlationId,
      },
      'request',
    );
    done();
  });
}
