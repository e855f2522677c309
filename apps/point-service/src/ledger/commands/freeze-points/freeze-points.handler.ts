import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { FreezeResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { adminRequestKey } from '../../admin-request-key';
import { Freezes } from '../../core/freezes';
import { Ledger } from '../../core/ledger';
import { FreezePointsCommand } from './freeze-points.command';

/**
 * An admin freezing a member's points (a dispute, suspected fraud; see Freezes). Each request
 * counts once per Idempotency-Key (or correlation id): a retry answers the same.
 */
@CommandHandler(FreezePointsCommand)
export class FreezePointsHandler implements ICommandHandler<FreezePointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly freezes: Freezes,
    private readonly clock: Clock,
  ) {}

  execute({ subject, request, admin, requestKey }: FreezePointsCommand): Promise<FreezeResult> {
    return this.ledger.transact(async (manager) =>
      this.freezes.freezeByAdmin(manager, await this.accounts.of(manager, subject), {
        points: request.points,
        reason: request.reason,
        key: adminRequestKey(admin, requestKey),
        at: this.clock.now(),
      }),
    );
  }
}
