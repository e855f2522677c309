import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refund handling: what each order earned (to reverse proportionally), freezes of points (refund
 * requested, or an admin) with the lots they were taken from.
 */
export class CreateFreezesAndReversals1764028800240 implements MigrationInterface {
  name = 'CreateFreezesAndReversals1764028800240';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE point_order_earn (
        order_id BIGINT UNSIGNED NOT NULL,
        member_id BIGINT UNSIGNED NOT NULL,
        amount_cents BIGINT UNSIGNED NOT NULL,
        points BIGINT NOT NULL,
        refunded_cents BIGINT UNSIGNED NOT NULL DEFAULT 0,
        reversed_points BIGINT NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (order_id),
        CONSTRAINT ck_point_order_earn_reversed CHECK (reversed_points <= points)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE point_freeze (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        member_id BIGINT UNSIGNED NOT NULL,
        points BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL COMMENT 'frozen | released | reversed',
        reason VARCHAR(255) NOT NULL,
        order_id BIGINT UNSIGNED NULL,
        refund_id BIGINT UNSIGNED NULL,
        frozen_until DATETIME(3) NULL,
        settled_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_point_freeze_refund (refund_id),
        KEY ix_point_freeze_member (member_id, status),
        KEY ix_point_freeze_due (status, frozen_until)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE point_freeze_allocation (
        freeze_id BIGINT UNSIGNED NOT NULL,
        lot_id BIGINT UNSIGNED NOT NULL,
        points BIGINT NOT NULL,
        PRIMARY KEY (freeze_id, lot_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE point_freeze_allocation');
    await runner.query('DROP TABLE point_freeze');
    await runner.query('DROP TABLE point_order_earn');
  }
}
