import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A service's own copy of each member's level, fed by member events (MemberLevelProjection). */
export class CreateMemberLevelProjection1764028800300 implements MigrationInterface {
  name = 'CreateMemberLevelProjection1764028800300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE member_level (
        member_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        level_id INT UNSIGNED NOT NULL,
        version INT UNSIGNED NOT NULL,
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (member_id),
        UNIQUE KEY uq_member_level_user_id (user_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE member_level');
  }
}
