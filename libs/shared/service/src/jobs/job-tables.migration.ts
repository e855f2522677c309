import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs of scheduled jobs: one claimed row per job and period, so one replica runs each. */
export class JobTables1764028800001 implements MigrationInterface {
  name = 'JobTables1764028800001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE job_run (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        job VARCHAR(64) NOT NULL,
        period_key VARCHAR(32) NULL COMMENT 'e.g. the business date of a daily run; NULL for runs asked by an admin',
        as_of DATETIME(3) NOT NULL,
        started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        finished_at DATETIME(3) NULL,
        outcome VARCHAR(16) NOT NULL DEFAULT 'running' COMMENT 'running | succeeded | failed',
        result TEXT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_job_run_period (job, period_key),
        KEY ix_job_run_started (job, started_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE job_run');
  }
}
