import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Member campaigns and their participations. `campaign.joined` counts participations under the
 * campaign row's lock, so capacity holds however many join at once; a participation's `round`
 * lets repeatable campaigns take the same member again once rewarded; `reward_batch` marks which
 * distribution batch rewarded it.
 */
export class CreateCampaigns1764028800400 implements MigrationInterface {
  name = 'CreateCampaigns1764028800400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE campaign (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        title VARCHAR(100) NOT NULL,
        description TEXT NULL,
        start_at DATETIME(3) NOT NULL,
        end_at DATETIME(3) NOT NULL,
        capacity INT UNSIGNED NULL,
        joined INT UNSIGNED NOT NULL DEFAULT 0,
        min_level_id INT UNSIGNED NULL,
        exclusive TINYINT(1) NOT NULL DEFAULT 0,
        repeatable TINYINT(1) NOT NULL DEFAULT 0,
        completion JSON NOT NULL,
        reward JSON NOT NULL,
        status VARCHAR(16) NOT NULL COMMENT 'draft | published | closed | settled',
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY ix_campaign_status (status, end_at),
        CONSTRAINT ck_campaign_window CHECK (start_at < end_at),
        CONSTRAINT ck_campaign_capacity CHECK (capacity IS NULL OR joined <= capacity)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await runner.query(`
      CREATE TABLE participation (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        campaign_id BIGINT UNSIGNED NOT NULL,
        member_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        round INT UNSIGNED NOT NULL,
        status VARCHAR(16) NOT NULL COMMENT 'joined | completed | rewarded',
        order_id BIGINT UNSIGNED NULL COMMENT 'the order that completed it',
        joined_at DATETIME(3) NOT NULL,
        completed_at DATETIME(3) NULL,
        rewarded_at DATETIME(3) NULL,
        reward_batch CHAR(36) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_participation_round (campaign_id, member_id, round),
        KEY ix_participation_member (member_id, joined_at),
        KEY ix_participation_campaign_status (campaign_id, status, id),
        KEY ix_participation_reward_batch (reward_batch)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE participation');
    await runner.query('DROP TABLE campaign');
  }
}
