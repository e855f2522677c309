import { DataSource } from 'typeorm';
import { ensureDatabase, serviceDataSourceOptions } from '@member-system/shared/database';
import {
  connectAmqp,
  declareConsumerTopology,
  migrateQueues,
  waitForAmqp,
} from '@member-system/shared/messaging';
import { parseDelays } from '@member-system/shared/config';
import type { BaseServiceConfig } from '@member-system/shared/config';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import type { Logger } from 'pino';
import type { ServiceDefinition } from './service-definition';
import { mysqlSettingsOf } from './database-connection';
import { defineOrExit } from './run-service';
import { serviceQueueDeclarations } from './queue-declarations';

/** Creates the schema if missing and runs its pending migrations. */
export async function migrateDatabase(
  config: BaseServiceConfig,
  database: ServiceDataSourceSpec,
  logger: Logger,
): Promise<void> {
  const mysql = mysqlSettingsOf(config);
  await ensureDatabase(mysql);
  const dataSource = new DataSource(serviceDataSourceOptions(mysql, database));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    logger.info(
      { schema: mysql.database, applied: applied.map((migration) => migration.name) },
      'migrations done',
    );
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The `migrate` entry of every service (Nx target, Helm hook Job, `npm start`): creates the schema
 * if missing, runs pending migrations, moves the service's queues that an earlier version declared
 * otherwise (classic queues) to quorum queues, and declares the service's RabbitMQ topology.
 */
export async function migrateService(definition: ServiceDefinition): Promise<void> {
  const { config, logger } = definition;
  await migrateDatabase(config, definition.database, logger);

  const amqp = connectAmqp(config.RABBITMQ_URL, `${definition.name}-migrate`);
  try {
    await waitForAmqp(amqp, 10_000);
    const connection = amqp.connection;
    if (!connection) throw new Error('the RabbitMQ connection went away');
    const moved = await migrateQueues(connection, serviceQueueDeclarations(definition), logger);
    if (moved.length > 0) logger.info({ queues: moved }, 'queues moved to quorum queues');
    const channel = amqp.createChannel({ name: 'topology' });
    await channel.waitForConnect();
    await channel.addSetup((raw: Parameters<typeof declareConsumerTopology>[0]) =>
      declareConsumerTopology(raw, {
        queue: definition.eventQueue,
        types: definition.subscriptions,
        retryDelaysMs: parseDelays(config.EVENT_RETRY_DELAYS_MS),
      }),
    );
    await channel.close();
    logger.info({ queue: definition.eventQueue }, 'topology declared');
  } finally {
    await amqp.close();
  }
}

/** The whole `migrate.ts` of a service. */
export function startMigration(defineService: () => ServiceDefinition): void {
  const definition = defineOrExit(defineService);
  migrateService(definition).catch((error: unknown) => {
    definition.logger.fatal({ err: error }, `${definition.name} migration failed`);
    process.exit(1);
  });
}
