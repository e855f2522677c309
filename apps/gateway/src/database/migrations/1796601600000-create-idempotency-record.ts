import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key records: the claim of a request while it runs, then its answer for the retention
 * period. The primary key makes the claim atomic across gateway instances (the INSERT that wins
 * runs the request); `expires_at` ends a claim whose instance died and lets the cleanup find
 * what is no longer kept. Redis only caches the answers.
 */
export class CreateIdempotencyRecord1796601600000 implements MigrationInterface {
  name = 'CreateIdempotencyRecord1796601600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE idempotency_record (
        record_key VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
          COMMENT '<caller user id>:<sha256 of the Idempotency-Key>',
        fingerprint CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
          COMMENT 'sha256 of method, URL and canonical body',
        state VARCHAR(16) NOT NULL COMMENT 'in-flight | done | failed',
        status SMALLINT UNSIGNED NULL COMMENT 'HTTP status of a failed answer',
        answer_json MEDIUMTEXT NULL COMMENT 'the body (done) or {code, message, details} (failed)',
        expires_at DATETIME(3) NOT NULL,
        PRIMARY KEY (record_key),
        KEY ix_idempotency_record_expires_at (expires_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE idempotency_record');
  }
}
