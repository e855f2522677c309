import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admin jobs (`GET /admin/jobs/{jobId}`): one row per admin operation run in the background, kept
 * by the service that does the work so that it survives the request, the gateway pod and a
 * restart of the service itself (a job left running is resumed once its lease runs out).
 */
export class AdminJobTables1764028800900 implements MigrationInterface {
  name = 'AdminJobTables1764028800900';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE admin_job (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        kind VARCHAR(64) NOT NULL,
        params TEXT NOT NULL,
        active_key VARCHAR(191) NULL COMMENT 'set while queued or running, so one such job runs per key; NULL once finished',
        status VARCHAR(16) NOT NULL DEFAULT 'queued' COMMENT 'queued | running | succeeded | failed',
        progress_done BIGINT NOT NULL DEFAULT 0,
        progress_total BIGINT NULL,
        result TEXT NULL,
        error_code VARCHAR(64) NULL,
        error_message VARCHAR(1000) NULL,
        requested_by VARCHAR(64) NOT NULL,
        correlation_id VARCHAR(128) NULL,
        attempts INT NOT NULL DEFAULT 0 COMMENT 'runs started; a job that keeps dying is failed',
        lease_owner VARCHAR(128) NULL COMMENT 'the replica running it',
        lease_until DATETIME(3) NULL COMMENT 'renewed while it runs; past it, another replica takes over',
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        started_at DATETIME(3) NULL,
        finished_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_admin_job_active (active_key),
        KEY ix_admin_job_pending (status, lease_until)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE admin_job');
  }
}
