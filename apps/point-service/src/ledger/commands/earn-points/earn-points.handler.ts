import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { parseMoney } from '@member-system/contracts';
import type {
  BenefitBirthdayGiftGrantedV1,
  CampaignRewardGrantedV1,
  MemberOrderCreditedV1,
  ReviewApprovedV1,
} from '@member-system/contracts';
import { rowsOf, statement } from '@member-system/shared/database';
import { PointServiceConfig } from '../../../config/point-service.config';
import { BulkCredits } from '../../core/bulk-credits';
import type { BulkCreditItem } from '../../core/bulk-credits';
import { Ledger } from '../../core/ledger';
import { AccountDirectory } from '../../account-directory';
import { LevelMultipliers } from '../../level-multipliers';
import { orderPoints, startOfBusinessDay } from '../../point-rules';

/** Points earned from the platform's events, each at most once by its natural key. */
@Injectable()
export class EarnPointsHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly multipliers: LevelMultipliers,
    private readonly bulkCredits: BulkCredits,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  /**
   * Orders earn at the multiplier of the level the member held when ordering (level before), in
   * bulk: the orders of a batch of events are one bulk credit (the seed's batch_earn_points), each
   * at most once per member and order. What each order earned is recorded for its refunds.
   */
  async forOrders(
    manager: EntityManager,
    orders: readonly MemberOrderCreditedV1[],
    now: Date,
  ): Promise<void> {
    const multipliers = await this.multipliers.of(manager, [
      ...new Set(orders.map((order) => order.levelBefore)),
    ]);
    const seen = new Set<string>();
    const items: BulkCreditItem[] = [];
    for (const order of orders) {
      // The same order twice in one batch (published twice): the first one counts.
      const key = `${order.memberId}:${order.orderId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const amountCents = parseMoney(order.amount);
      items.push({
        memberId: order.memberId,
        userId: order.userId,
        points: orderPoints(
          amountCents,
          this.config.POINTS_PER_YUAN,
          multipliers.get(order.levelBefore) ?? 100,
        ),
        source: 'order',
        sourceId: order.orderId,
        kind: 'earn:order',
        orderAmountCents: amountCents,
      });
    }
    await this.bulkCredits.credit(manager, items, now);
  }

  /** Review points, up to the daily cap per member (business day); reviews past it earn nothing. */
  async forReview(manager: EntityManager, review: ReviewApprovedV1, now: Date): Promise<void> {
    const account = await this.accounts.ofUser(manager, review.userId);
    await this.ledger.credit(manager, account, {
      source: 'review',
      sourceId: review.reviewId,
      kind: 'earn:review',
      at: now,
      reads: {
        reviewsToday: statement(
          "SELECT COUNT(*) AS n FROM point_lot WHERE member_id = ? AND source = 'review' AND earned_at >= ?",
          [account.memberId, startOfBusinessDay(now, this.config.BUSINESS_TIME_ZONE)],
        ),
      },
      points: ({ reviewsToday }) =>
        Number(rowsOf<{ n: string }>(reviewsToday)[0]?.n ?? 0) < this.config.REVIEW_DAILY_CAP
          ? this.config.REVIEW_POINTS
          : 0,
    });
  }

  /** The gift benefit-service granted from the level's BIRTHDAY_GIFT benefit, once a year. */
  async forBirthday(
    manager: EntityManager,
    gift: BenefitBirthdayGiftGrantedV1,
    now: Date,
  ): Promise<void> {
    await this.ledger.credit(
      manager,
      { memberId: gift.memberId, userId: gift.userId },
      {
        points: gift.points,
        source: 'birthday',
        sourceId: `${gift.memberId}:${gift.year}`,
        kind: 'earn:birthday',
        at: now,
      },
    );
  }

  /** A campaign's points reward, once per participation. */
  async forCampaign(
    manager: EntityManager,
    granted: CampaignRewardGrantedV1,
    now: Date,
  ): Promise<void> {
    if (!granted.reward.points) return;
    await this.ledger.credit(
      manager,
      { memberId: granted.memberId, userId: granted.userId },
      {
        points: granted.reward.points,
        source: 'campaign',
        sourceId: granted.participationId,
        kind: 'earn:campaign',
        at: now,
      },
    );
  }
}
