import type { MigrationInterface, QueryRunner } from 'typeorm';
import { OutboxWriter } from '@member-system/shared/messaging';
import { announceLevelBenefits } from '../../benefits/level-announcements';

/**
 * A version per level for `benefit.level-benefits-changed.v1`, and a first announcement of every
 * level's seeded benefits, so other services learn them without waiting for an admin's change.
 */
export class AnnounceLevelBenefits1764028800330 implements MigrationInterface {
  name = 'AnnounceLevelBenefits1764028800330';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE benefit_level_version (
        level_id INT UNSIGNED NOT NULL,
        version INT UNSIGNED NOT NULL,
        PRIMARY KEY (level_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    const levels = (await runner.query(
      'SELECT DISTINCT level_id FROM benefit WHERE deleted_at IS NULL ORDER BY level_id',
    )) as Array<{ level_id: number }>;
    const outbox = new OutboxWriter('benefit-service');
    for (const { level_id: levelId } of levels) {
      await announceLevelBenefits(runner.manager, outbox, Number(levelId));
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE benefit_level_version');
  }
}
