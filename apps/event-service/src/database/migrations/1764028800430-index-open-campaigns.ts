import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `GET /campaigns` pages the published campaigns earliest start first: with this index a page
 * reads its rows in that order and stops, instead of sorting every published campaign first.
 */
export class IndexOpenCampaigns1764028800430 implements MigrationInterface {
  name = 'IndexOpenCampaigns1764028800430';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX ix_campaign_open ON campaign (status, start_at, id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX ix_campaign_open ON campaign');
  }
}
