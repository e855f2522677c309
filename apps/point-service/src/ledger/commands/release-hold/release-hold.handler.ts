import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { HoldView } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Holds } from '../../core/holds';
import { Ledger } from '../../core/ledger';
import { ReleaseHoldCommand } from './release-hold.command';

/** A checkout giving back the points its hold set aside. */
@CommandHandler(ReleaseHoldCommand)
export class ReleaseHoldHandler implements ICommandHandler<ReleaseHoldCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly holds: Holds,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  execute({ subject, holdId }: ReleaseHoldCommand): Promise<HoldView> {
    return this.ledger.transact(async (manager) =>
      this.holds.release(
        manager,
        await this.accounts.of(manager, subject),
        holdId,
        this.clock.now(),
      ),
    );
  }
}
