import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  PLATFORM_ID_COLUMN,
  assertNumericIds,
  platformIdsToBigint,
} from '@member-system/shared/database';

/**
 * Order ids are the order system's own opaque strings (`SO-2026-000123`, UUIDs), no longer
 * numbers: the columns of benefit uses and cancelled orders become case-sensitive ASCII strings.
 * Existing ids keep their decimal text; the keys on them stay as they were.
 */
export class OpaqueOrderIds1764028800340 implements MigrationInterface {
  name = 'OpaqueOrderIds1764028800340';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE benefit_usage MODIFY order_id ${PLATFORM_ID_COLUMN} NOT NULL`);
    await runner.query(`ALTER TABLE benefit_order MODIFY order_id ${PLATFORM_ID_COLUMN} NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await assertNumericIds(runner, 'benefit_usage', ['order_id']);
    await assertNumericIds(runner, 'benefit_order', ['order_id']);
    await platformIdsToBigint(runner, 'benefit_order', [['order_id', 'NOT NULL']]);
    await platformIdsToBigint(runner, 'benefit_usage', [['order_id', 'NOT NULL']]);
  }
}
