import { BaseServiceConfig } from '@member-system/shared/config';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { QueueMigrationNeededError } from '@member-system/shared/messaging';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { freePort, openIntegrationEnv, testLogger, waitFor } from '@member-system/shared/testing';
import { migrateService, runService } from '../src';
import type { ServiceDefinition } from '../src';

const database: ServiceDataSourceSpec = {
  entities: [],
  migrations: [],
  migrationsTableName: 'probe_migrations',
};

describe('A service on the classic queues of an earlier version', () => {
  let env: IntegrationEnv;
  let definition: ServiceDefinition;

  beforeAll(async () => {
    env = await openIntegrationEnv(database);
    const config = Object.assign(new BaseServiceConfig(), {
      HTTP_PORT: await freePort(),
      HTTP_HOST: '127.0.0.1',
      MYSQL_DATABASE: env.schema,
      REDIS_PREFIX: `ms:${env.runId}:classic:`,
      RABBITMQ_URL: env.amqpUrl,
      OUTBOX_RELAY_ENABLED: false,
      JOBS_ENABLED: false,
    });
    definition = {
      name: 'classic-service',
      rpcQueue: 'rpc.classic-service',
      eventQueue: 'events.classic-service',
      subscriptions: [],
      database,
      config,
      logger: testLogger(),
    };
    const connection = env.amqp.connection;
    if (!connection) throw new Error('not connected');
    const channel = await connection.createChannel();
    await channel.assertQueue(definition.rpcQueue, { durable: true });
    await channel.close();
  });

  afterAll(async () => {
    await env.close();
  });

  async function rpcConsumers(): Promise<number> {
    const connection = env.amqp.connection;
    if (!connection) return 0;
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(definition.rpcQueue)).consumerCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  it('refuses to start, naming the queue and the migration', async () => {
    const started = runService(definition, []);

    await expect(started).rejects.toThrow(QueueMigrationNeededError);
    await expect(started).rejects.toThrow(
      /queue rpc\.classic-service exists with other arguments .* `npm run migrate`/,
    );
  });

  it('starts once its migrate moved the queues', async () => {
    await migrateService(definition);

    const app = await runService(definition, []);

    // Consuming from its (quorum) RPC queue; Nest subscribes after it reports started, and a
    // close before the broker's answer leaves a rejection nobody handles.
    await waitFor(async () => (await rpcConsumers()) > 0, { what: 'the RPC queue consumer' });
    await app.close();
  });
});
