import type { AmqpConnectionManager } from 'amqp-connection-manager';
import { DataSource } from 'typeorm';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { dropDatabase, ensureDatabase, serviceDataSourceOptions } from '@member-system/shared/database';
import { connectAmqp, waitForAmqp } from '@member-system/shared/messaging';
import { createVhost, deleteVhost } from './rabbitmq-vhost';
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
  await createVhost(vhost);
  const dataSource = await new DataSource(serviceDataSourceOptions(mysql, database)).initialize();
  await dataSource.runMigrations();
  const url = amqpUrl(vhost);
  const amqp = connectAmqp(url, `test-${runId}`);
  await waitForAmqp(amqp, 10_000);
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
    },
  };
}
