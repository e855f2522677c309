import { Injectable } from '@nestjs/common';
import { TwoLevelCache } from '@member-system/shared/cache';
import type { CacheNamespace } from '@member-system/shared/cache';
import type { BalanceView } from '@member-system/contracts';

/**
 * The seed's `member:points:{member_id}` (5 minutes). Redis only, no in-process level: a balance
 * must never show a member their previous write from another instance. Every ledger transaction
 * invalidates the members it touched after commit, before its caller replies.
 */
@Injectable()
export class BalanceCache {
  private readonly balances: CacheNamespace<BalanceView>;

  constructor(cache: TwoLevelCache) {
    this.balances = cache.namespace<BalanceView>('member:points', {
      redisTtlSeconds: 300,
      localTtlMs: 0,
    });
  }

  get(memberId: string, load: () => Promise<BalanceView>): Promise<BalanceView | null> {
    return this.balances.get(memberId, load);
  }

  async invalidate(memberIds: readonly string[]): Promise<void> {
    if (memberIds.length > 0) await this.balances.invalidateMany([...memberIds]);
  }
}
