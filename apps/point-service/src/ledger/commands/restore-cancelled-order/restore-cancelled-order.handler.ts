import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Holds } from '../../core/holds';
import { Ledger } from '../../core/ledger';
import { RestoreCancelledOrderCommand } from './restore-cancelled-order.command';

/** A cancelled order gives back the points spent on it and releases the hold it still had. */
@CommandHandler(RestoreCancelledOrderCommand)
export class RestoreCancelledOrderHandler implements ICommandHandler<RestoreCancelledOrderCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly holds: Holds,
    private readonly clock: Clock,
  ) {}

  async execute({ manager, order, afterCommit }: RestoreCancelledOrderCommand): Promise<void> {
    const account = await this.accounts.ofUser(manager, order.userId);
    await this.ledger.restoreOrder(manager, account, order.orderId);
    const holdId = await this.holds.reservedHoldOf(manager, account.memberId, order.orderId);
    if (holdId) await this.holds.release(manager, account, holdId, this.clock.now());
    afterCommit(() => this.ledger.committed(manager));
  }
}
