import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Natural keys belong to a member: two members' refunds, reviews or orders that happen to share an
 * id never block or answer each other. Which member an order id belongs to, for spends and holds,
 * is kept once in `point_order_owner` (the first member to pay with points on it, or the one its
 * cancellation names); another member's spend or hold on it is refused. A refund freeze remembers
 * the amount asked back, so it freezes only that share of the order's points. Each history row
 * carries every balance after it (available was already there), so a member can explain their
 * balance from the history alone; the member's page index covers the new columns too.
 */
export class ScopeLedgerKeysToMembers1764028800280 implements MigrationInterface {
  name = 'ScopeLedgerKeysToMembers1764028800280';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE point_operation DROP PRIMARY KEY, ADD PRIMARY KEY (member_id, kind, natural_key)`);
    // Admin bulk credits now keep their own keys (batch:<source>). Those made before kept
    // earn:<source>, shared with the events' credits, and nothing tells the two apart: every such
    // key is copied, so a bulk credit repeated after the upgrade counts as a duplicate, never
    // twice (at worst a new bulk credit whose id equals an event's key is refused as a duplicate).
    await runner.query(`
      INSERT IGNORE INTO point_operation (member_id, kind, natural_key, transaction_id, created_at)
      SELECT member_id, CONCAT('batch:', SUBSTRING(kind, 6)), natural_key, transaction_id, created_at
        FROM point_operation WHERE kind IN ('earn:batch', 'earn:campaign', 'earn:adjustment')`);
    await runner.query(`
      CREATE TABLE point_order_owner (
        order_id VARCHAR(64) NOT NULL,
        member_id BIGINT UNSIGNED NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (order_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      INSERT IGNORE INTO point_order_owner (order_id, member_id)
      SELECT natural_key, member_id FROM point_operation WHERE kind IN ('use:order', 'restore:order')
      UNION ALL SELECT order_id, member_id FROM point_hold`);
    await runner.query(`
      ALTER TABLE point_order_earn DROP PRIMARY KEY, ADD PRIMARY KEY (member_id, order_id)`);
    await runner.query(`
      ALTER TABLE point_freeze
        DROP KEY uq_point_freeze_refund,
        ADD UNIQUE KEY uq_point_freeze_refund (member_id, refund_id),
        ADD COLUMN amount_cents BIGINT UNSIGNED NULL COMMENT 'a refund freeze: the amount asked back'`);
    await runner.query(`
      ALTER TABLE point_transaction
        ADD COLUMN frozen_after BIGINT NOT NULL DEFAULT 0 AFTER balance_after,
        ADD COLUMN held_after BIGINT NOT NULL DEFAULT 0 AFTER frozen_after,
        ADD COLUMN debt_after BIGINT NOT NULL DEFAULT 0 AFTER held_after`);
    await runner.query(`
      ALTER TABLE point_transaction
        ADD KEY ix_point_transaction_member_rows
          (member_id, created_at, id, type, points, balance_after, frozen_after, held_after, debt_after,
           source, source_id, expires_at),
        DROP KEY ix_point_transaction_member_page`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE point_transaction
        ADD KEY ix_point_transaction_member_page
          (member_id, created_at, id, type, points, balance_after, source, source_id, expires_at),
        DROP KEY ix_point_transaction_member_rows`);
    await runner.query(`
      ALTER TABLE point_transaction DROP COLUMN frozen_after, DROP COLUMN held_after, DROP COLUMN debt_after`);
    await runner.query(`
      ALTER TABLE point_freeze
        DROP KEY uq_point_freeze_refund,
        ADD UNIQUE KEY uq_point_freeze_refund (refund_id),
        DROP COLUMN amount_cents`);
    await runner.query(`
      ALTER TABLE point_order_earn DROP PRIMARY KEY, ADD PRIMARY KEY (order_id)`);
    await runner.query('DROP TABLE point_order_owner');
    await runner.query("DELETE FROM point_operation WHERE kind LIKE 'batch:%'");
    await runner.query(`
      ALTER TABLE point_operation DROP PRIMARY KEY, ADD PRIMARY KEY (kind, natural_key)`);
  }
}
