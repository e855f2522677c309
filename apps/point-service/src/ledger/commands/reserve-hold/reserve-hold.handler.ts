import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { HoldView } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Holds } from '../../core/holds';
import { Ledger } from '../../core/ledger';
import { ReserveHoldCommand } from './reserve-hold.command';

const DEFAULT_HOLD_SECONDS = 15 * 60;

/** Sets points aside for a checkout until it captures or releases them, or the hold expires. */
@CommandHandler(ReserveHoldCommand)
export class ReserveHoldHandler implements ICommandHandler<ReserveHoldCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly holds: Holds,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  execute({ subject, request }: ReserveHoldCommand): Promise<HoldView> {
    return this.ledger.transact(async (manager) =>
      this.holds.reserve(manager, await this.accounts.of(manager, subject), {
        points: request.points,
        orderId: request.orderId,
        ttlSeconds: request.ttlSeconds ?? DEFAULT_HOLD_SECONDS,
        at: this.clock.now(),
      }),
    );
  }
}
