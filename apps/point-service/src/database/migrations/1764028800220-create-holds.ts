import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Checkout holds: points reserved for one order, then captured (spent) or released. */
export class CreateHolds1764028800220 implements MigrationInterface {
  name = 'CreateHolds1764028800220';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE point_hold (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        member_id BIGINT UNSIGNED NOT NULL,
        order_id BIGINT UNSIGNED NOT NULL,
        points BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL COMMENT 'reserved | captured | released | expired',
        expires_at DATETIME(3) NOT NULL,
        settled_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_point_hold_order (order_id),
        KEY ix_point_hold_member (member_id, status),
        KEY ix_point_hold_expiry (status, expires_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE point_hold_allocation (
        hold_id BIGINT UNSIGNED NOT NULL,
        lot_id BIGINT UNSIGNED NOT NULL,
        points BIGINT NOT NULL,
        PRIMARY KEY (hold_id, lot_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE point_hold_allocation');
    await runner.query('DROP TABLE point_hold');
  }
}
