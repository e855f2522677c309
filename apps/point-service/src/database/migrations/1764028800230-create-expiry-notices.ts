import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One expiring-soon reminder per member, expiry time and lead time. */
export class CreateExpiryNotices1764028800230 implements MigrationInterface {
  name = 'CreateExpiryNotices1764028800230';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE point_expiry_notice (
        member_id BIGINT UNSIGNED NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        lead_days INT UNSIGNED NOT NULL,
        points BIGINT NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (member_id, expires_at, lead_days)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query('CREATE INDEX ix_point_lot_expiry ON point_lot (expires_at, remaining)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX ix_point_lot_expiry ON point_lot');
    await runner.query('DROP TABLE point_expiry_notice');
  }
}
