import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The level ladder by total spent (docs/api/contract.md defaults; what each level grants belongs to
 * benefit-service), and the member table (PII encrypted).
 */
export class CreateLevelsAndMembers1764028800100 implements MigrationInterface {
  name = 'CreateLevelsAndMembers1764028800100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE level (
        id INT UNSIGNED NOT NULL,
        name VARCHAR(64) NOT NULL,
        min_total_spent_cents BIGINT UNSIGNED NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_level_min_total_spent (min_total_spent_cents)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      INSERT INTO level (id, name, min_total_spent_cents)
      VALUES (1, '普通会员 Regular', 0),
             (2, '白银 Silver', 100000),
             (3, '黄金 Gold', 500000),
             (4, '铂金 Platinum', 2000000),
             (5, '钻石 Diamond', 5000000)`);
    await runner.query(`
      CREATE TABLE member (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        user_id BIGINT UNSIGNED NOT NULL,
        nickname VARCHAR(64) NULL,
        gender VARCHAR(16) NULL,
        phone_ciphertext VARCHAR(255) NULL,
        phone_blind_index CHAR(64) NULL,
        email_ciphertext VARCHAR(600) NULL,
        email_blind_index CHAR(64) NULL,
        birthday_ciphertext VARCHAR(255) NULL,
        birthday_month_day CHAR(5) NULL COMMENT 'MM-DD, for the daily birthday job',
        level_id INT UNSIGNED NOT NULL DEFAULT 1,
        level_version INT UNSIGNED NOT NULL DEFAULT 1,
        total_spent_cents BIGINT UNSIGNED NOT NULL DEFAULT 0,
        registered_via VARCHAR(16) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_member_user_id (user_id),
        KEY ix_member_phone_blind_index (phone_blind_index),
        KEY ix_member_email_blind_index (email_blind_index),
        KEY ix_member_birthday_month_day (birthday_month_day),
        KEY ix_member_level_id (level_id),
        CONSTRAINT fk_member_level FOREIGN KEY (level_id) REFERENCES level (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE member');
    await runner.query('DROP TABLE level');
  }
}
