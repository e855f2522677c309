import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: append-only records chained by hash, and the chain's head, whose row lock
 * serialises appends (and whose hash shows when records were cut off the end).
 */
export class CreateAuditRecord1764028800200 implements MigrationInterface {
  name = 'CreateAuditRecord1764028800200';

  async up(runner: QueryRunner): Promise<void> {
    // JSON is kept as text, byte for byte: MySQL's JSON type would rewrite it and break the hash.
    await runner.query(`
      CREATE TABLE audit_record (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        occurred_at DATETIME(3) NOT NULL,
        operator_user_id BIGINT UNSIGNED NOT NULL,
        action VARCHAR(64) NOT NULL COMMENT 'e.g. member.reveal-pii, member.erase',
        target_member_id BIGINT UNSIGNED NULL,
        before_json MEDIUMTEXT NULL,
        after_json MEDIUMTEXT NULL,
        ip VARCHAR(45) NULL,
        user_agent VARCHAR(256) NULL,
        correlation_id VARCHAR(128) NOT NULL,
        outcome VARCHAR(16) NOT NULL COMMENT 'succeeded | failed | refused',
        prev_hash CHAR(64) NOT NULL,
        hash CHAR(64) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_audit_record_prev_hash (prev_hash),
        UNIQUE KEY uq_audit_record_hash (hash),
        KEY ix_audit_record_occurred_at (occurred_at),
        KEY ix_audit_record_target (target_member_id, occurred_at),
        KEY ix_audit_record_operator (operator_user_id, occurred_at),
        KEY ix_audit_record_action (action, occurred_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE audit_chain_head (
        id TINYINT UNSIGNED NOT NULL,
        last_record_id BIGINT UNSIGNED NULL,
        last_hash CHAR(64) NOT NULL,
        PRIMARY KEY (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(
      `INSERT INTO audit_chain_head (id, last_record_id, last_hash) VALUES (1, NULL, REPEAT('0', 64))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_chain_head');
    await runner.query('DROP TABLE audit_record');
  }
}
