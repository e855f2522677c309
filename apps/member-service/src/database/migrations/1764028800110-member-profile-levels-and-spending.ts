import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rest of the member model: profile fields, the admin's level floor, erasure, level history,
 * the orders and refunds that make up total spent, and the yearly birthday greeting.
 */
export class MemberProfileLevelsAndSpending1764028800110 implements MigrationInterface {
  name = 'MemberProfileLevelsAndSpending1764028800110';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE member
        ADD COLUMN avatar_url VARCHAR(512) NULL AFTER gender,
        ADD COLUMN real_name_ciphertext VARCHAR(255) NULL AFTER birthday_month_day,
        ADD COLUMN manual_level_id INT UNSIGNED NULL COMMENT 'set by an admin: the level never drops below it' AFTER level_id,
        ADD COLUMN erased_at DATETIME(3) NULL,
        ADD KEY ix_member_nickname (nickname),
        ADD KEY ix_member_created_at (created_at),
        ADD CONSTRAINT fk_member_manual_level FOREIGN KEY (manual_level_id) REFERENCES level (id)`);
    await runner.query(`
      CREATE TABLE level_history (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        member_id BIGINT UNSIGNED NOT NULL,
        version INT UNSIGNED NOT NULL,
        old_level_id INT UNSIGNED NULL,
        new_level_id INT UNSIGNED NOT NULL,
        reason VARCHAR(32) NOT NULL COMMENT 'order | refund | admin | ladder-change',
        source_id VARCHAR(64) NULL COMMENT 'order id, refund id or admin user id',
        note VARCHAR(500) NULL,
        total_spent_cents BIGINT UNSIGNED NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_level_history_member_version (member_id, version),
        CONSTRAINT fk_level_history_member FOREIGN KEY (member_id) REFERENCES member (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE member_order (
        order_id BIGINT UNSIGNED NOT NULL,
        member_id BIGINT UNSIGNED NOT NULL,
        amount_cents BIGINT UNSIGNED NOT NULL,
        refunded_cents BIGINT UNSIGNED NOT NULL DEFAULT 0,
        level_before_id INT UNSIGNED NOT NULL,
        level_after_id INT UNSIGNED NOT NULL,
        completed_at DATETIME(3) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (order_id),
        KEY ix_member_order_member (member_id, completed_at),
        CONSTRAINT ck_member_order_refunded CHECK (refunded_cents <= amount_cents)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE member_refund (
        refund_id BIGINT UNSIGNED NOT NULL,
        order_id BIGINT UNSIGNED NOT NULL,
        member_id BIGINT UNSIGNED NOT NULL,
        requested_cents BIGINT UNSIGNED NOT NULL,
        applied_cents BIGINT UNSIGNED NOT NULL COMMENT 'capped so refunds never exceed the order',
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (refund_id),
        KEY ix_member_refund_order (order_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE birthday_greeting (
        member_id BIGINT UNSIGNED NOT NULL,
        year SMALLINT UNSIGNED NOT NULL,
        greeted_on DATE NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (member_id, year)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE birthday_greeting');
    await runner.query('DROP TABLE member_refund');
    await runner.query('DROP TABLE member_order');
    await runner.query('DROP TABLE level_history');
    await runner.query(`ALTER TABLE member DROP FOREIGN KEY fk_member_manual_level,
      DROP KEY ix_member_created_at, DROP KEY ix_member_nickname, DROP COLUMN erased_at,
      DROP COLUMN manual_level_id, DROP COLUMN real_name_ciphertext, DROP COLUMN avatar_url`);
  }
}
