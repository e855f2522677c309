import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  PLATFORM_ID_COLUMN,
  assertNumericIds,
  platformIdsToBigint,
} from '@member-system/shared/database';

/**
 * Order and refund ids are the order system's own opaque strings (`SO-2026-000123`, UUIDs), no
 * longer numbers: the columns of holds, order earns, freezes and order owners become
 * case-sensitive ASCII strings, so `so-1` is never taken for `SO-1`. Existing ids keep their
 * decimal text; every key on them stays as it was.
 *
 * Natural keys hold these ids and other keys (admins' request keys, check-in days) and only need
 * comparing byte for byte: utf8mb4_bin. The source id of lots and history rows only shows where a
 * row came from, is never compared, and keeps its type (no rebuild of the partitioned history).
 */
export class OpaqueOrderIds1764028800290 implements MigrationInterface {
  name = 'OpaqueOrderIds1764028800290';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE point_hold MODIFY order_id ${PLATFORM_ID_COLUMN} NOT NULL`);
    await runner.query(
      `ALTER TABLE point_order_earn MODIFY order_id ${PLATFORM_ID_COLUMN} NOT NULL`,
    );
    await runner.query(`
      ALTER TABLE point_freeze
        MODIFY order_id ${PLATFORM_ID_COLUMN} NULL,
        MODIFY refund_id ${PLATFORM_ID_COLUMN} NULL`);
    await runner.query(
      `ALTER TABLE point_order_owner MODIFY order_id ${PLATFORM_ID_COLUMN} NOT NULL`,
    );
    await runner.query(`
      ALTER TABLE point_operation
        MODIFY natural_key VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await assertNumericIds(runner, 'point_hold', ['order_id']);
    await assertNumericIds(runner, 'point_order_earn', ['order_id']);
    await assertNumericIds(runner, 'point_freeze', ['order_id', 'refund_id']);
    await runner.query(`
      ALTER TABLE point_operation
        MODIFY natural_key VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL`);
    await runner.query(`
      ALTER TABLE point_order_owner
        MODIFY order_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL`);
    await platformIdsToBigint(runner, 'point_freeze', [
      ['order_id', 'NULL'],
      ['refund_id', 'NULL'],
    ]);
    await platformIdsToBigint(runner, 'point_order_earn', [['order_id', 'NOT NULL']]);
    await platformIdsToBigint(runner, 'point_hold', [['order_id', 'NOT NULL']]);
  }
}
