import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { businessDateOf } from '@member-system/shared/service';
import { BenefitServiceConfig } from '../config/benefit-service.config';
import { businessMonthOf } from './holdings';
import { HoldingsCache } from './holdings-cache';

/**
 * Monthly quotas: one counter row per member, benefit and business month. A use increments it
 * under the row's lock and a cancellation decrements it, so parallel uses never pass the quota.
 * Writes only in a transaction HoldingsCache tracks (it drops the member's cached uses after
 * commit).
 */
@Injectable()
export class Quotas {
  constructor(
    @Inject(BenefitServiceConfig) private readonly config: BenefitServiceConfig,
    private readonly holdings: HoldingsCache,
  ) {}

  /** `YYYY-MM` of the business month `at` falls in. */
  periodOf(at: Date): string {
    return businessMonthOf(at, this.config.BUSINESS_TIME_ZONE);
  }

  /** The business date of `at`, `YYYY-MM-DD`. */
  dateOf(at: Date): string {
    const day = businessDateOf(at, this.config.BUSINESS_TIME_ZONE);
    return `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
  }

  /** Counts one use and returns the uses of the period including it (the row stays locked). */
  async take(
    manager: EntityManager,
    memberId: string,
    benefitId: string,
    period: string,
  ): Promise<number> {
    this.holdings.touch(manager, memberId, period);
    await manager.query(
      `INSERT INTO benefit_quota (member_id, benefit_id, period, used) VALUES (?, ?, ?, 1)
       ON DUPLICATE KEY UPDATE used = used + 1`,
      [memberId, benefitId, period],
    );
    const [row] = await manager.query<Array<{ used: number }>>(
      'SELECT used FROM benefit_quota WHERE member_id = ? AND benefit_id = ? AND period = ?',
      [memberId, benefitId, period],
    );
    return Number(row?.used ?? 0);
  }

  async giveBack(
    manager: EntityManager,
    memberId: string,
    benefitId: string,
    period: string,
  ): Promise<void> {
    this.holdings.touch(manager, memberId, period);
    await manager.query(
      `UPDATE benefit_quota SET used = used - 1
        WHERE member_id = ? AND benefit_id = ? AND period = ? AND used > 0`,
      [memberId, benefitId, period],
    );
  }
}
