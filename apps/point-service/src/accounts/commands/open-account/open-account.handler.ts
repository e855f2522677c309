import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountDirectory } from '../../../ledger/account-directory';
import { Ledger } from '../../../ledger/core/ledger';

/** Opens a member's points account; a repeat finds it open and changes nothing. */
@Injectable()
export class OpenAccountHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
  ) {}

  async executeIn(manager: EntityManager, memberId: string, userId: string): Promise<boolean> {
    const opened = await this.ledger.openAccount(manager, { memberId, userId });
    // A new member's first calls (a check-in, a balance) then find the account without a read.
    // Even if this transaction rolled back, the pair stays true: the ledger opens a missing
    // account itself.
    if (opened) this.accounts.remember({ memberId, userId });
    return opened;
  }
}
