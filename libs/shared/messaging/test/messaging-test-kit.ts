import { randomUUID } from 'node:crypto';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { MessagingTables1764028800000, declareExchanges } from '../src';

/** A table the test handlers write to, so a test can count effects. */
export class HandledEventTable1764028899999 implements MigrationInterface {
  name = 'HandledEventTable1764028899999';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE handled_event (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      event_id VARCHAR(128) NOT NULL,
      subject VARCHAR(64) NOT NULL)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE handled_event');
  }
}

export const messagingTestDatabase: ServiceDataSourceSpec = {
  entities: [],
  migrations: [MessagingTables1764028800000, HandledEventTable1764028899999],
  migrationsTableName: 'test_migrations',
};

/** Publishes raw bytes or an envelope the way a platform service would, with confirms. */
export async function publishRaw(
  amqp: AmqpConnectionManager,
  exchange: string,
  routingKey: string,
  body: string,
  messageId: string = randomUUID(),
): Promise<void> {
  const channel = amqp.createChannel({
    confirm: true,
    setup: (raw: ConfirmChannel) => declareExchanges(raw),
  });
  try {
    await channel.waitForConnect();
    await channel.publish(exchange, routingKey, Buffer.from(body), {
      persistent: true,
      messageId,
      type: routingKey,
    });
  } finally {
    await channel.close();
  }
}
