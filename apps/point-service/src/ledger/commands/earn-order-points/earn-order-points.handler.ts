import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { parseMoney } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { PointServiceConfig } from '../../../config/point-service.config';
import { BulkCredits } from '../../core/bulk-credits';
import type { BulkCreditItem } from '../../core/bulk-credits';
import { Ledger } from '../../core/ledger';
import { LevelMultipliers } from '../../level-multipliers';
import { orderPoints } from '../../point-rules';
import { EarnOrderPointsCommand } from './earn-order-points.command';

/**
 * Orders earn at the multiplier of the level the member held when ordering (level before), in
 * bulk: the orders of a batch of events are one bulk credit (the seed's batch_earn_points), each
 * at most once per member and order. What each order earned is recorded for its refunds.
 */
@CommandHandler(EarnOrderPointsCommand)
export class EarnOrderPointsHandler implements ICommandHandler<EarnOrderPointsCommand> {
  constructor(
    private readonly ledger: Ledger,
    private readonly multipliers: LevelMultipliers,
    private readonly bulkCredits: BulkCredits,
    private readonly clock: Clock,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  async execute({ manager, orders, afterCommit }: EarnOrderPointsCommand): Promise<void> {
    const now = this.clock.now();
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
    afterCommit(() => this.ledger.committed(manager));
  }
}
