import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each level's order-points multiplier, from benefit-service's POINTS_MULTIPLIER benefits. */
export class CreateLevelMultipliers1764028800260 implements MigrationInterface {
  name = 'CreateLevelMultipliers1764028800260';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE level_multiplier (
        level_id INT UNSIGNED NOT NULL,
        hundredths INT UNSIGNED NOT NULL COMMENT '1.5 is 150',
        version INT UNSIGNED NOT NULL,
        PRIMARY KEY (level_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE level_multiplier');
  }
}
