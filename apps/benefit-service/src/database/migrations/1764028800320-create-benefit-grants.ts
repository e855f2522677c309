import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Benefits granted to one member by a campaign reward (`campaign.reward-granted.v1` with a
 * `benefitId`): one use of that benefit whatever the member's level, once per participation.
 */
export class CreateBenefitGrants1764028800320 implements MigrationInterface {
  name = 'CreateBenefitGrants1764028800320';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE benefit_grant (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        participation_id BIGINT UNSIGNED NOT NULL,
        campaign_id BIGINT UNSIGNED NOT NULL,
        member_id BIGINT UNSIGNED NOT NULL,
        benefit_id BIGINT UNSIGNED NOT NULL,
        status VARCHAR(16) NOT NULL COMMENT 'available | used',
        granted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_benefit_grant_participation (participation_id),
        KEY ix_benefit_grant_member (member_id, status, benefit_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(
      "ALTER TABLE benefit_usage ADD COLUMN grant_id BIGINT UNSIGNED NULL COMMENT 'the grant it used, when not the level'",
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE benefit_usage DROP COLUMN grant_id');
    await runner.query('DROP TABLE benefit_grant');
  }
}
