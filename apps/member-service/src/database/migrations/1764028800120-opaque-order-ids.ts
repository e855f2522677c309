import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  PLATFORM_ID_COLUMN,
  assertNumericIds,
  platformIdsToBigint,
} from '@member-system/shared/database';

/**
 * Order and refund ids are the order system's own opaque strings (`SO-2026-000123`, UUIDs), no
 * longer numbers: their columns become case-sensitive ASCII strings. Existing ids keep their
 * decimal text and every key stays as it was. The level history's source id (an order id, a
 * refund id or an admin's user id) follows, so it shows the id as given.
 */
export class OpaqueOrderIds1764028800120 implements MigrationInterface {
  name = 'OpaqueOrderIds1764028800120';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE member_order MODIFY order_id ${PLATFORM_ID_COLUMN} NOT NULL`);
    await runner.query(`
      ALTER TABLE member_refund
        MODIFY refund_id ${PLATFORM_ID_COLUMN} NOT NULL,
        MODIFY order_id ${PLATFORM_ID_COLUMN} NOT NULL`);
    await runner.query(`
      ALTER TABLE level_history
        MODIFY source_id ${PLATFORM_ID_COLUMN} NULL COMMENT 'order id, refund id or admin user id'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await assertNumericIds(runner, 'member_order', ['order_id']);
    await assertNumericIds(runner, 'member_refund', ['refund_id', 'order_id']);
    await runner.query(`
      ALTER TABLE level_history
        MODIFY source_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL
          COMMENT 'order id, refund id or admin user id'`);
    await platformIdsToBigint(runner, 'member_refund', [
      ['refund_id', 'NOT NULL'],
      ['order_id', 'NOT NULL'],
    ]);
    await platformIdsToBigint(runner, 'member_order', [['order_id', 'NOT NULL']]);
  }
}
