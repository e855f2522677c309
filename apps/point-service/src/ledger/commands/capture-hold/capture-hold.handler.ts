import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { PointsResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Holds } from '../../core/holds';
import { Ledger } from '../../core/ledger';
import { CaptureHoldCommand } from './capture-hold.command';

/** A checkout spending the points its hold set aside. */
@CommandHandler(CaptureHoldCommand)
export class CaptureHoldHandler implements ICommandHandler<CaptureHoldCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly holds: Holds,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  execute({ subject, holdId }: CaptureHoldCommand): Promise<PointsResult> {
    return this.ledger.transact(async (manager) =>
      this.holds.capture(
        manager,
        await this.accounts.of(manager, subject),
        holdId,
        this.clock.now(),
      ),
    );
  }
}
