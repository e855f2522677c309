import { Injectable } from '@nestjs/common';
import type { EarnBatchDto, EarnBatchResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { accountOf } from '../../account-of-user';
import { Ledger } from '../../ledger';

/**
 * `POST /admin/points/earn-batch`: thousands of credits in one call. Items are grouped by member
 * and each member's items run in one short transaction (one account lock), so a large batch never
 * holds many locks at once; each item earns once by its (source, sourceId), so a retried batch
 * credits only what had not been credited.
 */
@Injectable()
export class EarnBatchHandler {
  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  async execute(batch: EarnBatchDto): Promise<EarnBatchResult> {
    const byMember = new Map<string, EarnBatchDto['items']>();
    for (const item of batch.items)
      byMember.set(item.memberId, [...(byMember.get(item.memberId) ?? []), item]);
    const result: EarnBatchResult = { credited: 0, duplicates: 0, unknownMembers: [], points: 0 };
    const at = this.clock.now();
    for (const [memberId, items] of byMember) {
      const outcome = await this.ledger
        .transact(async (manager) => {
          const account = await accountOf(manager, { memberId });
          let credited = 0;
          let points = 0;
          for (const item of items) {
            const earned = await this.ledger.credit(manager, account, {
              points: item.points,
              source: item.source,
              sourceId: item.sourceId,
              kind: `earn:${item.source}`,
              at,
            });
            if (earned) {
              credited += 1;
              points += item.points;
            }
          }
          return { credited, points };
        })
        .catch((error: unknown) => {
          if ((error as { code?: string }).code === 'POINT_ACCOUNT_NOT_FOUND') return undefined;
          throw error;
        });
      if (!outcome) {
        result.unknownMembers.push(memberId);
        continue;
      }
      result.credited += outcome.credited;
      result.duplicates += items.length - outcome.credited;
      result.points += outcome.points;
    }
    return result;
  }
}
