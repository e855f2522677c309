import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Records a member's level from member events. A registration is version 1; an upsert keeps
 * whichever version is newer, so events arriving out of order never move a member back.
 */
@Injectable()
export class ProjectMemberLevelHandler {
  async executeIn(
    manager: EntityManager,
    change: { memberId: string; userId: string; levelId: number; version: number },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO member_level (member_id, user_id, level_id, version) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE
         level_id = IF(VALUES(version) > version, VALUES(level_id), level_id),
         version = GREATEST(version, VALUES(version))`,
      [change.memberId, change.userId, change.levelId, change.version],
    );
  }
}
