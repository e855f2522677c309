import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppMetrics, PinoNestLogger, createLogger } from '@member-system/shared/observability';
import { loadGatewayConfig } from './config/gateway.config';
import { GatewayModule } from './gateway.module';
import { closeConnectionsOnShutdown } from './http/close-connections-on-shutdown';
import { acceptEmptyJsonBodies } from './http/empty-json-body';
import { corsOriginsOf, registerSecurityHeaders } from './http/hardening';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { API_PREFIX, UNPREFIXED_ROUTES, setupOpenApi } from './http/openapi';
import { registerRequestContext } from './http/request-context.hook';
import { EARN_BATCH_BODY_LIMIT, EARN_BATCH_ROUTE } from './points/admin-points.controller';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.register(config, logger),
    adapter,
    {
      logger: new PinoNestLogger(logger),
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  registerRequestContext(fastify, logger, app.get(AppMetrics));
  registerSecurityHeaders(fastify);
  acceptEmptyJsonBodies(fastify);
  closeConnectionsOnShutdown(fastify);
  const origins = corsOriginsOf(config.CORS_ORIGINS);
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
      // location: where a started admin job is read (202 answers).
      exposedHeaders: ['x-correlation-id', 'retry-after', 'idempotent-replayed', 'location'],
      maxAge: 600,
    });
  }
  // Batch credits need more than the default body limit; every other route keeps it.
  fastify.addHook('onRoute', (route) => {
    if (route.url === EARN_BATCH_ROUTE) route.bodyLimit = EARN_BATCH_BODY_LIMIT;
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  app.useGlobalFilters(new HttpExceptionFilter(logger));
  setupOpenApi(app);
  // Exit 0 once the hooks ran, instead of re-raising the signal (which can cut the last log lines).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  logger.info({ port: config.HTTP_PORT }, 'gateway listening');
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad config): write the reason plainly.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
