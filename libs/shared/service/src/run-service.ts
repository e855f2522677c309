import { Module } from '@nestjs/common';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppMetrics, PinoNestLogger } from '@member-system/shared/observability';
import {
  RpcErrorsThrough,
  rpcServerOptions,
  verifyQueuesOnceConnected,
} from '@member-system/shared/messaging';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { serviceQueueDeclarations } from './queue-declarations';
import type { ServiceDefinition } from './service-definition';
import { ServiceInfraModule } from './service-infra.module';
import { AdminJobsModule } from './admin-jobs/admin-jobs.module';
import { AMQP_CONNECTION } from './tokens';

@Module({})
class ServiceRootModule {}

export function serviceRootModule(definition: ServiceDefinition, features: Type[]): DynamicModule {
  return {
    module: ServiceRootModule,
    // CqrsModule first: global modules run their bootstrap hooks in the order they were imported,
    // and the buses must know every handler before ServiceInfraModule starts consuming events.
    imports: [
      CqrsModule.forRoot(),
      ServiceInfraModule.forRoot(definition),
      AdminJobsModule.forRoot(definition),
      ...features,
    ],
  };
}

/**
 * Boots a service: HTTP for health and metrics, an RPC server on its durable queue, and graceful
 * shutdown on SIGTERM/SIGINT (stop consuming, finish in-flight work, close connections).
 */
export async function runService(
  definition: ServiceDefinition,
  features: Type[],
): Promise<NestFastifyApplication> {
  const { config, logger } = definition;
  const app = await NestFactory.create<NestFastifyApplication>(
    serviceRootModule(definition, features),
    new FastifyAdapter(),
    {
      logger: new PinoNestLogger(logger),
    },
  );
  try {
    // Refuses to run on queues of an earlier version (classic ones), naming the migration:
    // Nest's RPC server would retry its refused declaration forever, and the consumer too.
    await verifyQueuesOnceConnected(
      app.get<AmqpConnectionManager>(AMQP_CONNECTION),
      serviceQueueDeclarations(definition),
    );
  } catch (error) {
    await app.close();
    throw error;
  }
  app.useGlobalFilters(new RpcErrorsThrough(app.getHttpAdapter()));
  app.connectMicroservice(
    rpcServerOptions(
      config.RABBITMQ_URL,
      definition.rpcQueue,
      config.RPC_PREFETCH,
      logger,
      app.get(AppMetrics),
    ),
    {
      inheritAppConfig: true,
    },
  );
  // Exit 0 once the hooks ran, instead of re-raising the signal (which can cut the last log lines).
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.startAllMicroservices();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  logger.info(
    { port: config.HTTP_PORT, rpcQueue: definition.rpcQueue },
    `${definition.name} listening`,
  );
  return app;
}

/** The whole `main.ts` of a service: start, or say why not and exit non-zero. */
export function startService(defineService: () => ServiceDefinition, features: Type[]): void {
  const definition = defineOrExit(defineService);
  runService(definition, features).catch((error: unknown) => {
    definition.logger.fatal({ err: error }, `${definition.name} failed to start`);
    process.exit(1);
  });
}

/** Loads the definition (and so the config); a bad setting is reported plainly, without a stack. */
export function defineOrExit(defineService: () => ServiceDefinition): ServiceDefinition {
  try {
    return defineService();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
