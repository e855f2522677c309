import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { FreezeResult } from '@member-system/contracts';
import { AccountDirectory } from '../../account-directory';
import { adminRequestKey } from '../../admin-request-key';
import { Freezes } from '../../core/freezes';
import { Ledger } from '../../core/ledger';
import { UnfreezePointsCommand } from './unfreeze-points.command';

/**
 * An admin releasing points an admin froze (see Freezes). Each request counts once per
 * Idempotency-Key (or correlation id): a retry answers the same.
 */
@CommandHandler(UnfreezePointsCommand)
export class UnfreezePointsHandler implements ICommandHandler<UnfreezePointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly freezes: Freezes,
  ) {}

  execute({ subject, request, admin, requestKey }: UnfreezePointsCommand): Promise<FreezeResult> {
    return this.ledger.transact(async (manager) =>
      this.freezes.releaseByAdmin(manager, await this.accounts.of(manager, subject), {
        points: request.points,
        reason: request.reason,
        key: adminRequestKey(admin, requestKey),
      }),
    );
  }
}
