import { connect } from 'amqp-connection-manager';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { DataSource } from 'typeorm';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import {
  dropDatabase,
  ensureDatabase,
  serviceDataSourceOptions,
} from '@member-system/shared/database';
import { createVhost, deleteVhost } from './rabbitmq-vhost';
import { deleteRedisKeys } from './redis-keys';
import { amqpUrl, newTestRunId, testInfra } from './test-run';

/** A schema and a vhost of a test file's own, with its migrations run, and how to remove them. */
export interface IntegrationEnv {
  runId: string;
  schema: string;
  vhost: string;
  amqpUrl: string;
  dataSource: DataSource;
  amqp: AmqpConnectionManager;
  close(): Promise<void>;
}

export async function openIntegrationEnv(database: ServiceDataSourceSpec): Promise<IntegrationEnv> {
  const runId = newTestRunId();
  const schema = `ms_${runId}`;
  const vhost = `ms_${runId}`;
  const mysql = { ...testInfra.mysql, database: schema, poolSize: 20 };
  await ensureDatabase(mysql);
  let dataSource: DataSource | undefined;
  try {
    await createVhost(vhost);
    dataSource = await new DataSource(serviceDataSourceOptions(mysql, database)).initialize();
    await dataSource.runMigrations();
  } catch (error) {
    // Leave nothing behind when the environment cannot be opened.
    await dataSource?.destroy().catch(() => undefined);
    await dropDatabase(mysql).catch(() => undefined);
    await deleteVhost(vhost).catch(() => undefined);
    throw error;
  }
  const url = amqpUrl(vhost);
  // A plain connection: the testing lib must not depend on the messaging lib it helps test.
  const amqp = connect([url], { reconnectTimeInSeconds: 1 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`RabbitMQ vhost ${vhost} did not answer`)),
      10_000,
    );
    amqp.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return {
    runId,
    schema,
    vhost,
    amqpUrl: url,
    dataSource,
    amqp,
    close: async () => {
      await amqp.close();
      await dataSource.destroy();
      await dropDatabase(mysql);
      await deleteVhost(vhost);
      await deleteRedisKeys(`ms:${runId}:`);
    },
  };
}
