import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Opens a member's points account; a repeat finds it open and changes nothing. */
@Injectable()
export class OpenAccountHandler {
  async executeIn(manager: EntityManager, memberId: string, userId: string): Promise<boolean> {
    const result = await manager.query<{ affectedRows: number }>(
      'INSERT IGNORE INTO point_account (member_id, user_id) VALUES (?, ?)',
      [memberId, userId],
    );
    return result.affectedRows === 1;
  }
}
