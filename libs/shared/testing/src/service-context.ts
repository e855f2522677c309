import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { BaseServiceConfig } from '@member-system/shared/config';
import { serviceRootModule } from '@member-system/shared/service';
import type { ServiceDefinition } from '@member-system/shared/service';
import type { IntegrationEnv } from './integration-env';
import { testLogger } from './test-logger';

/**
 * A service's real module graph (consumer, relay, handlers) on a test's own schema and vhost,
 * without HTTP or the RPC server: tests publish events and call handlers through `app.get`.
 */
export async function startServiceContext<C extends BaseServiceConfig>(
  env: IntegrationEnv,
  definition: Omit<ServiceDefinition, 'logger' | 'config'> & { config: C },
  features: Type[],
): Promise<INestApplicationContext> {
  const config = Object.assign(definition.config, {
    MYSQL_DATABASE: env.schema,
    RABBITMQ_URL: env.amqpUrl,
    REDIS_PREFIX: `ms:${env.runId}:${definition.name}:`,
    EVENT_RETRY_DELAYS_MS: '50,100',
    OUTBOX_POLL_MS: 20,
    JOBS_ENABLED: false,
    ALLOW_CLOCK_OVERRIDE: true,
  });
  const app = await NestFactory.createApplicationContext(
    serviceRootModule({ ...definition, config, logger: testLogger() }, features),
    { logger: false },
  );
  await app.init();
  return app;
}
