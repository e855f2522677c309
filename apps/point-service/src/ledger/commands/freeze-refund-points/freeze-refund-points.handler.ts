import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { parseMoney } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Ledger } from '../../core/ledger';
import { Refunds } from '../../core/refunds';
import { FreezeRefundPointsCommand } from './freeze-refund-points.command';

/** A requested refund freezes the points its order earned until the refund's outcome (see Refunds). */
@CommandHandler(FreezeRefundPointsCommand)
export class FreezeRefundPointsHandler implements ICommandHandler<FreezeRefundPointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly refunds: Refunds,
    private readonly clock: Clock,
  ) {}

  async execute({ manager, refund, afterCommit }: FreezeRefundPointsCommand): Promise<void> {
    const account = await this.accounts.ofUser(manager, refund.userId);
    await this.refunds.freeze(manager, account, {
      orderId: refund.orderId,
      refundId: refund.refundId,
      amountCents: parseMoney(refund.amount),
      at: this.clock.now(),
    });
    afterCommit(() => this.ledger.committed(manager));
  }
}
