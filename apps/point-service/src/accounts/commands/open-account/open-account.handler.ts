import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountDirectory } from '../../../ledger/account-directory';

/** Opens a member's points account; a repeat finds it open and changes nothing. */
@Injectable()
export class OpenAccountHandler {
  constructor(private readonly accounts: AccountDirectory) {}

  async executeIn(manager: EntityManager, memberId: string, userId: string): Promise<boolean> {
    const result = await manager.query<{ affectedRows: number }>(
      'INSERT IGNORE INTO point_account (member_id, user_id) VALUES (?, ?)',
      [memberId, userId],
    );
    const opened = result.affectedRows === 1;
    // A new member's first calls (a check-in, a balance) then find the account without a read.
    // Even if this transaction rolled back, the pair stays true: the ledger opens a missing
    // account itself.
    if (opened) this.accounts.remember({ memberId, userId });
    return opened;
  }
}
