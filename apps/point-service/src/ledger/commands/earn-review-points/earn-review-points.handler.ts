import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { rowsOf, statement } from '@member-system/shared/database';
import { Clock } from '@member-system/shared/service';
import { PointServiceConfig } from '../../../config/point-service.config';
import { AccountDirectory } from '../../account-directory';
import { Ledger } from '../../core/ledger';
import { startOfBusinessDay } from '../../point-rules';
import { EarnReviewPointsCommand } from './earn-review-points.command';

/** Review points, up to the daily cap per member (business day); reviews past it earn nothing. */
@CommandHandler(EarnReviewPointsCommand)
export class EarnReviewPointsHandler implements ICommandHandler<EarnReviewPointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  async execute({ manager, review, afterCommit }: EarnReviewPointsCommand): Promise<void> {
    const now = this.clock.now();
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
    afterCommit(() => this.ledger.committed(manager));
  }
}
