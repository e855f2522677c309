import { Injectable } from '@nestjs/common';
import type { Actor, AdjustPointsDto, PointsResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { adminRequestKey } from '../../admin-request-key';
import type { Subject } from '@member-system/shared/service';
import { Ledger } from '../../ledger';

/**
 * An admin's credit or deduction, with a reason code. Its key is the request's idempotency key
 * (or its correlation id), so a retried request adjusts once. The answer's points carry the
 * adjustment's sign, as its history row does.
 */
@Injectable()
export class AdjustPointsHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  execute(
    subject: Subject,
    adjustment: AdjustPointsDto,
    admin: Actor,
    key: string,
  ): Promise<PointsResult> {
    const sourceId = adminRequestKey(admin, key);
    const note = [adjustment.reasonCode, adjustment.note].filter(Boolean).join(': ');
    return this.ledger.transact(async (manager) => {
      const account = await this.accounts.of(manager, subject);
      const at = this.clock.now();
      if (adjustment.points < 0) {
        const deducted = await this.ledger.debit(manager, account, {
          points: -adjustment.points,
          source: 'adjustment',
          sourceId,
          kind: 'use:adjustment',
          at,
          note,
          type: 'adjust',
        });
        return { ...deducted, points: adjustment.points };
      }
      const credited = await this.ledger.credit(manager, account, {
        points: adjustment.points,
        source: 'adjustment',
        sourceId,
        kind: 'earn:adjustment',
        at,
        note,
        type: 'adjust',
      });
      return (
        credited ??
        this.ledger.replay(
          manager,
          account.memberId,
          'earn:adjustment',
          sourceId,
          adjustment.points,
        )
      );
    });
  }
}
