import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox and inbox tables, the same in every service's schema. Each service lists this
 * migration first in its own migration list.
 */
export class MessagingTables1764028800000 implements MigrationInterface {
  name = 'MessagingTables1764028800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox_message (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        event_id CHAR(36) NOT NULL,
        event_type VARCHAR(128) NOT NULL,
        exchange VARCHAR(128) NOT NULL,
        envelope MEDIUMTEXT NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        published_at DATETIME(3) NULL,
        attempts INT UNSIGNED NOT NULL DEFAULT 0,
        last_error VARCHAR(512) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_outbox_message_event_id (event_id),
        KEY ix_outbox_message_unpublished (published_at, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE inbox_message (
        consumer VARCHAR(64) NOT NULL,
        message_id VARCHAR(128) NOT NULL,
        event_type VARCHAR(128) NOT NULL,
        received_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (consumer, message_id),
        KEY ix_inbox_message_received (received_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE inbox_message');
    await runner.query('DROP TABLE outbox_message');
  }
}
