import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventConsumer } from '@member-system/shared/messaging';
import { EarnBirthdayPointsCommand } from './commands/earn-birthday-points/earn-birthday-points.command';
import { EarnCampaignPointsCommand } from './commands/earn-campaign-points/earn-campaign-points.command';
import { EarnOrderPointsCommand } from './commands/earn-order-points/earn-order-points.command';
import { EarnReviewPointsCommand } from './commands/earn-review-points/earn-review-points.command';
import { FreezeRefundPointsCommand } from './commands/freeze-refund-points/freeze-refund-points.command';
import { RestoreCancelledOrderCommand } from './commands/restore-cancelled-order/restore-cancelled-order.command';
import { ReverseRefundPointsCommand } from './commands/reverse-refund-points/reverse-refund-points.command';
import { UnfreezeRefundPointsCommand } from './commands/unfreeze-refund-points/unfreeze-refund-points.command';

/**
 * The events that earn, give back, freeze and reverse points. Each command runs in the event's
 * transaction (with its inbox claim) and drops the balances it touched from the cache once that
 * transaction commits.
 */
@Injectable()
export class LedgerEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.consumer.onBatch('member.order-credited.v1', (events, { manager, afterCommit }) =>
      this.commandBus.execute(
        new EarnOrderPointsCommand(
          manager,
          events.map((event) => event.payload),
          afterCommit,
        ),
      ),
    );
    this.consumer.on('review.approved.v1', (review, { manager, afterCommit }) =>
      this.commandBus.execute(new EarnReviewPointsCommand(manager, review, afterCommit)),
    );
    this.consumer.on('benefit.birthday-gift-granted.v1', (gift, { manager, afterCommit }) =>
      this.commandBus.execute(new EarnBirthdayPointsCommand(manager, gift, afterCommit)),
    );
    this.consumer.on('campaign.reward-granted.v1', (granted, { manager, afterCommit }) =>
      this.commandBus.execute(new EarnCampaignPointsCommand(manager, granted, afterCommit)),
    );
    this.consumer.on('order.cancelled.v1', (order, { manager, afterCommit }) =>
      this.commandBus.execute(new RestoreCancelledOrderCommand(manager, order, afterCommit)),
    );
    this.consumer.on('order.refund-requested.v1', (refund, { manager, afterCommit }) =>
      this.commandBus.execute(new FreezeRefundPointsCommand(manager, refund, afterCommit)),
    );
    this.consumer.on('order.refunded.v1', (refund, { manager, afterCommit }) =>
      this.commandBus.execute(new ReverseRefundPointsCommand(manager, refund, afterCommit)),
    );
    this.consumer.on('order.refund-rejected.v1', (refund, { manager, afterCommit }) =>
      this.commandBus.execute(new UnfreezeRefundPointsCommand(manager, refund, afterCommit)),
    );
  }
}
