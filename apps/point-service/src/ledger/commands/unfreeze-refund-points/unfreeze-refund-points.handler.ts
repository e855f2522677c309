import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { AccountDirectory } from '../../account-directory';
import { Ledger } from '../../core/ledger';
import { Refunds } from '../../core/refunds';
import { UnfreezeRefundPointsCommand } from './unfreeze-refund-points.command';

/** A rejected refund gives the points it froze back to the member (see Refunds). */
@CommandHandler(UnfreezeRefundPointsCommand)
export class UnfreezeRefundPointsHandler implements ICommandHandler<UnfreezeRefundPointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly refunds: Refunds,
  ) {}

  async execute({ manager, refund, afterCommit }: UnfreezeRefundPointsCommand): Promise<void> {
    await this.refunds.unfreeze(
      manager,
      await this.accounts.ofUser(manager, refund.userId),
      refund.refundId,
    );
    afterCommit(() => this.ledger.committed(manager));
  }
}
