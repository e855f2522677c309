import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which benefit types each level holds, from `benefit.level-benefits-changed.v1` (newest version). */
export class CreateLevelBenefits1764028800410 implements MigrationInterface {
  name = 'CreateLevelBenefits1764028800410';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE level_benefit (
        level_id INT UNSIGNED NOT NULL,
        types JSON NOT NULL,
        version INT UNSIGNED NOT NULL,
        PRIMARY KEY (level_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE level_benefit');
  }
}
