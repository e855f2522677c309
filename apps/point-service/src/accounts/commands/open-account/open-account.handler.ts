import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { AccountDirectory } from '../../../ledger/account-directory';
import { Ledger } from '../../../ledger/core/ledger';
import { OpenAccountCommand } from './open-account.command';

/** Opens a member's points account; a repeat finds it open and changes nothing. */
@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
  ) {}

  async execute({ manager, memberId, userId }: OpenAccountCommand): Promise<boolean> {
    const opened = await this.ledger.openAccount(manager, { memberId, userId });
    // A new member's first calls (a check-in, a balance) then find the account without a read.
    // Even if this transaction rolled back, the pair stays true: the ledger opens a missing
    // account itself.
    if (opened) this.accounts.remember({ memberId, userId });
    return opened;
  }
}
