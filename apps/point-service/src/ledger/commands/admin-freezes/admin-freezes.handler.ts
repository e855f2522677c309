import { Injectable } from '@nestjs/common';
import type { Actor, FreezePointsDto, FreezeResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import type { Subject } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { adminRequestKey } from '../../admin-request-key';
import { Freezes } from '../../core/freezes';
import { Ledger } from '../../core/ledger';

/**
 * An admin freezing a member's points (a dispute, suspected fraud) and releasing them again (see
 * Freezes). Each request counts once per Idempotency-Key (or correlation id): a retry answers the
 * same.
 */
@Injectable()
export class AdminFreezesHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly freezes: Freezes,
    private readonly clock: Clock,
  ) {}

  freeze(
    subject: Subject,
    request: FreezePointsDto,
    admin: Actor,
    key: string,
  ): Promise<FreezeResult> {
    return this.ledger.transact(async (manager) =>
      this.freezes.freezeByAdmin(manager, await this.accounts.of(manager, subject), {
        points: request.points,
        reason: request.reason,
        key: adminRequestKey(admin, key),
        at: this.clock.now(),
      }),
    );
  }

  unfreeze(
    subject: Subject,
    request: FreezePointsDto,
    admin: Actor,
    key: string,
  ): Promise<FreezeResult> {
    return this.ledger.transact(async (manager) =>
      this.freezes.releaseByAdmin(manager, await this.accounts.of(manager, subject), {
        points: request.points,
        reason: request.reason,
        key: adminRequestKey(admin, key),
      }),
    );
  }
}
