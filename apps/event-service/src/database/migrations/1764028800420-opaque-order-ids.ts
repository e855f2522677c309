import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  PLATFORM_ID_COLUMN,
  assertNumericIds,
  platformIdsToBigint,
} from '@member-system/shared/database';

/**
 * Order ids are the order system's own opaque strings (`SO-2026-000123`, UUIDs), no longer
 * numbers: the order that completed a participation is kept as a case-sensitive ASCII string.
 * Existing ids keep their decimal text.
 */
export class OpaqueOrderIds1764028800420 implements MigrationInterface {
  name = 'OpaqueOrderIds1764028800420';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE participation
        MODIFY order_id ${PLATFORM_ID_COLUMN} NULL COMMENT 'the order that completed it'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await assertNumericIds(runner, 'participation', ['order_id']);
    await platformIdsToBigint(runner, 'participation', [
      ['order_id', "NULL COMMENT 'the order that completed it'"],
    ]);
  }
}
