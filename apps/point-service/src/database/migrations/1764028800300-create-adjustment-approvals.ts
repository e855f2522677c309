import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Maker–checker of large adjustments: a request waits here until a second admin approves it (the
 * points are adjusted in the same transaction, with `transaction_id` the history row) or rejects it.
 */
export class CreateAdjustmentApprovals1764028800300 implements MigrationInterface {
  name = 'CreateAdjustmentApprovals1764028800300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE point_adjustment_approval (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        member_id BIGINT UNSIGNED NOT NULL,
        points INT NOT NULL,
        reason_code VARCHAR(40) NOT NULL,
        note VARCHAR(200) NULL,
        status ENUM('pending', 'approved', 'rejected') NOT NULL DEFAULT 'pending',
        requested_by VARCHAR(64) NOT NULL,
        request_key VARCHAR(64) NOT NULL COMMENT 'the requester and their Idempotency-Key: a retry finds its request',
        requested_at DATETIME(3) NOT NULL,
        reviewed_by VARCHAR(64) NULL,
        reviewed_at DATETIME(3) NULL,
        review_note VARCHAR(200) NULL,
        transaction_id BIGINT UNSIGNED NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_point_adjustment_approval_request (request_key),
        KEY ix_point_adjustment_approval_status (status, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE point_adjustment_approval');
  }
}
