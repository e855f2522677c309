import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { parseMoney } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Ledger } from '../../core/ledger';
import { Refunds } from '../../core/refunds';
import { ReverseRefundPointsCommand } from './reverse-refund-points.command';

/** A completed refund takes back the points its order earned (see Refunds). */
@CommandHandler(ReverseRefundPointsCommand)
export class ReverseRefundPointsHandler implements ICommandHandler<ReverseRefundPointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly refunds: Refunds,
    private readonly clock: Clock,
  ) {}

  async execute({ manager, refund, afterCommit }: ReverseRefundPointsCommand): Promise<void> {
    await this.refunds.reverse(manager, await this.accounts.ofUser(manager, refund.userId), {
      orderId: refund.orderId,
      refundId: refund.refundId,
      amountCents: parseMoney(refund.amount),
      at: this.clock.now(),
    });
    afterCommit(() => this.ledger.committed(manager));
  }
}
