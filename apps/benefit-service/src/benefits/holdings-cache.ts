import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { TwoLevelCache } from '@member-system/shared/cache';
import type { CacheNamespace } from '@member-system/shared/cache';
import { withTransaction } from '@member-system/shared/database';
import { Clock } from '@member-system/shared/service';
import { BenefitServiceConfig } from '../config/benefit-service.config';
import { businessMonthOf, holdingsOf, monthsAround } from './holdings';
import type { Holdings } from './holdings';

interface StoredHoldings {
  granted: string[];
  used: Array<[string, number]>;
}

/**
 * A member's holdings (available grants, the month's quota uses) as quotes and eligibility read
 * them on every cart change: `member:holdings:{memberId}:{YYYY-MM}`, 5 minutes, Redis only (no
 * in-process level: after a use, a quote on another instance must not see the uses before it).
 *
 * Grants and Quotas are the only writers of these rows, and each of their writes records the
 * member on the transaction's EntityManager. A write in a transaction that neither `transact` nor
 * `trackEvent` opened throws, so no caller can forget the invalidation; the tracked members'
 * holdings are dropped once the transaction has committed (before, a concurrent read could cache
 * the old rows again).
 */
@Injectable()
export class HoldingsCache {
  private readonly byMemberAndPeriod: CacheNamespace<Holdings>;
  /** Per open transaction: each member it changed, with the quota periods it changed for them. */
  private readonly touched = new WeakMap<EntityManager, Map<string, Set<string>>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(BenefitServiceConfig) private readonly config: BenefitServiceConfig,
    cache: TwoLevelCache,
  ) {
    this.byMemberAndPeriod = cache.namespace<Holdings>('member:holdings', {
      redisTtlSeconds: 300,
      localTtlMs: 0,
      serialize: (holdings) =>
        JSON.stringify({ granted: [...holdings.granted], used: [...holdings.used] }),
      deserialize: parseHoldings,
    });
  }

  /** The member's holdings in `period` (`YYYY-MM`), from the cache or MySQL. */
  async of(memberId: string, period: string): Promise<Holdings> {
    const load = () => holdingsOf(this.dataSource.manager, memberId, period);
    return (await this.byMemberAndPeriod.get(keyOf(memberId, period), load)) ?? load();
  }

  /**
   * Runs work that may change grants or quota uses in one transaction (retried whole on
   * deadlock) and, once committed, drops the holdings of every member it changed, before the
   * caller replies.
   */
  async transact<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let last: EntityManager | undefined;
    const result = await withTransaction(this.dataSource, (manager) => {
      last = manager;
      this.touched.set(manager, new Map());
      return work(manager);
    });
    if (last) await this.invalidateTouched(last);
    return result;
  }

  /**
   * For an event handler's transaction (the EventConsumer's, shared by a batch of events): the
   * holdings it changes are dropped once it has committed.
   */
  trackEvent(manager: EntityManager, afterCommit: (work: () => Promise<void>) => void): void {
    if (this.touched.has(manager)) return;
    this.touched.set(manager, new Map());
    afterCommit(() => this.invalidateTouched(manager));
  }

  /** Called by the writers before they change a member's grants or quota uses (in `period`). */
  touch(manager: EntityManager, memberId: string, period?: string): void {
    const members = this.touched.get(manager);
    if (members === undefined) {
      throw new Error(
        'grants and quotas change only in a transaction of HoldingsCache.transact or trackEvent, ' +
          'which drops the cached holdings after commit',
      );
    }
    const periods = members.get(memberId) ?? new Set<string>();
    if (period !== undefined) periods.add(period);
    members.set(memberId, periods);
  }

  /**
   * Grants count in every month, so a member's holdings are dropped for the months a quote can be
   * reading now (this one, and the ones beside it for clocks a little apart at a month's turn),
   * and for any other month whose quota uses changed.
   */
  private async invalidateTouched(manager: EntityManager): Promise<void> {
    const members = this.touched.get(manager);
    this.touched.delete(manager);
    if (members === undefined || members.size === 0) return;
    const around = monthsAround(businessMonthOf(this.clock.now(), this.config.BUSINESS_TIME_ZONE));
    const keys: string[] = [];
    for (const [memberId, periods] of members) {
      for (const period of new Set([...around, ...periods])) keys.push(keyOf(memberId, period));
    }
    await this.byMemberAndPeriod.invalidateMany(keys);
  }
}

function keyOf(memberId: string, period: string): string {
  return `${memberId}:${period}`;
}

/** Throws on anything but what `serialize` wrote, so the cache counts it as a miss. */
function parseHoldings(text: string): Holdings {
  const stored = JSON.parse(text) as Partial<StoredHoldings> | null;
  if (!Array.isArray(stored?.granted) || !Array.isArray(stored.used)) {
    throw new Error('not a holdings value');
  }
  return { granted: new Set(stored.granted), used: new Map(stored.used) };
}
