import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One points account per member; the ledger tables arrive with the ledger itself. */
export class CreatePointAccounts1764028800200 implements MigrationInterface {
  name = 'CreatePointAccounts1764028800200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE point_account (
        member_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        available BIGINT NOT NULL DEFAULT 0,
        frozen BIGINT NOT NULL DEFAULT 0,
        pending BIGINT NOT NULL DEFAULT 0,
        held BIGINT NOT NULL DEFAULT 0,
        debt BIGINT NOT NULL DEFAULT 0,
        lifetime_earned BIGINT NOT NULL DEFAULT 0,
        lifetime_used BIGINT NOT NULL DEFAULT 0,
        lifetime_expired BIGINT NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (member_id),
        UNIQUE KEY uq_point_account_user_id (user_id),
        CONSTRAINT ck_point_account_available CHECK (available >= 0),
        CONSTRAINT ck_point_account_held CHECK (held >= 0),
        CONSTRAINT ck_point_account_frozen CHECK (frozen >= 0)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE point_account');
  }
}
