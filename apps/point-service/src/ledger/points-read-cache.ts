import { Injectable } from '@nestjs/common';
import { TwoLevelCache } from '@member-system/shared/cache';
import type { CacheNamespace } from '@member-system/shared/cache';
import type { BalanceView, Page, PointTransactionView } from '@member-system/contracts';

/**
 * What members read most from the ledger: the seed's `member:points:{member_id}` balance and the
 * first page of their history (newest first, the default page size, no filter), 5 minutes each.
 * Redis only, no in-process level: a member must never see their previous state from another
 * instance after a write. Every ledger transaction invalidates both for the members it touched,
 * after commit and before its caller replies (history only grows with a balance change).
 */
@Injectable()
export class PointsReadCache {
  private readonly balances: CacheNamespace<BalanceView>;
  private readonly firstPages: CacheNamespace<Page<PointTransactionView>>;

  constructor(cache: TwoLevelCache) {
    this.balances = cache.namespace<BalanceView>('member:points', {
      redisTtlSeconds: 300,
      localTtlMs: 0,
    });
    // v2: rows carry frozenAfter, heldAfter and debtAfter; pages cached before lack them.
    this.firstPages = cache.namespace<Page<PointTransactionView>>('member:history:v2', {
      redisTtlSeconds: 300,
      localTtlMs: 0,
    });
  }

  balance(memberId: string, load: () => Promise<BalanceView>): Promise<BalanceView | null> {
    return this.balances.get(memberId, load);
  }

  firstHistoryPage(
    memberId: string,
    load: () => Promise<Page<PointTransactionView>>,
  ): Promise<Page<PointTransactionView> | null> {
    return this.firstPages.get(memberId, load);
  }

  async invalidate(memberIds: readonly string[]): Promise<void> {
    if (memberIds.length === 0) return;
    await Promise.all([
      this.balances.invalidateMany([...memberIds]),
      this.firstPages.invalidateMany([...memberIds]),
    ]);
  }
}
