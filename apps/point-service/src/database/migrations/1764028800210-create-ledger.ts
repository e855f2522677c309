import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The points ledger: lots (each credit, with what remains of it and when it expires), the
 * append-only history partitioned by month, the spends' allocations to lots, and the natural keys
 * that make every write happen at most once (a small unpartitioned table, since MySQL needs every
 * unique key of a partitioned table to include the partition column).
 */
export class CreateLedger1764028800210 implements MigrationInterface {
  name = 'CreateLedger1764028800210';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE point_lot (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        member_id BIGINT UNSIGNED NOT NULL,
        source VARCHAR(32) NOT NULL,
        source_id VARCHAR(64) NOT NULL,
        amount BIGINT NOT NULL,
        remaining BIGINT NOT NULL,
        earned_at DATETIME(3) NOT NULL,
        available_from DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY ix_point_lot_spendable (member_id, expires_at, earned_at, id),
        CONSTRAINT ck_point_lot_remaining CHECK (remaining >= 0 AND remaining <= amount)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE point_transaction (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        member_id BIGINT UNSIGNED NOT NULL,
        type VARCHAR(16) NOT NULL COMMENT 'earn | use | …',
        points BIGINT NOT NULL COMMENT 'signed: credits positive, debits negative',
        balance_after BIGINT NOT NULL,
        source VARCHAR(32) NOT NULL,
        source_id VARCHAR(64) NOT NULL,
        lot_id BIGINT UNSIGNED NULL,
        expires_at DATETIME(3) NULL,
        note VARCHAR(255) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id, created_at),
        KEY ix_point_transaction_member (member_id, created_at, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
      PARTITION BY RANGE COLUMNS (created_at) (
        PARTITION p_history VALUES LESS THAN ('2026-01-01'),
        PARTITION p_future VALUES LESS THAN (MAXVALUE)
      )`);
    await runner.query(`
      CREATE TABLE point_allocation (
        transaction_id BIGINT UNSIGNED NOT NULL,
        lot_id BIGINT UNSIGNED NOT NULL,
        points BIGINT NOT NULL,
        PRIMARY KEY (transaction_id, lot_id),
        KEY ix_point_allocation_lot (lot_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE point_operation (
        kind VARCHAR(32) NOT NULL COMMENT 'earn:order, use:order, check-in, …',
        natural_key VARCHAR(128) NOT NULL,
        member_id BIGINT UNSIGNED NOT NULL,
        transaction_id BIGINT UNSIGNED NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (kind, natural_key)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE check_in (
        member_id BIGINT UNSIGNED NOT NULL,
        business_date DATE NOT NULL,
        streak INT UNSIGNED NOT NULL COMMENT 'consecutive days including this one',
        points INT UNSIGNED NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (member_id, business_date)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE check_in');
    await runner.query('DROP TABLE point_operation');
    await runner.query('DROP TABLE point_allocation');
    await runner.query('DROP TABLE point_transaction');
    await runner.query('DROP TABLE point_lot');
  }
}
