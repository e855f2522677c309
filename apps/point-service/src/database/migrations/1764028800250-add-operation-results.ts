import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an operation answered, for operations that leave no history row to answer a repeat from
 * (an admin's freeze or unfreeze retried with the same Idempotency-Key).
 */
export class AddOperationResults1764028800250 implements MigrationInterface {
  name = 'AddOperationResults1764028800250';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE point_operation ADD COLUMN result JSON NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE point_operation DROP COLUMN result');
  }
}
