import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { MemberCache } from '../members/member-cache';
import { ApplyRefundHandler } from './commands/apply-refund/apply-refund.handler';
import { CreditOrderHandler } from './commands/credit-order/credit-order.handler';

/** Orders (a batch of them at a time) and refunds from the platform, which make up total spent. */
@Injectable()
export class SpendingEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly creditOrder: CreditOrderHandler,
    private readonly applyRefund: ApplyRefundHandler,
    private readonly clock: Clock,
    private readonly cache: MemberCache,
  ) {}

  onModuleInit(): void {
    this.consumer
      .onBatch('order.completed.v1', async (events, { manager, afterCommit }) => {
        const memberIds = await this.creditOrder.executeManyIn(
          manager,
          events.map((event) => event.payload),
          this.clock.now(),
        );
        afterCommit(() => this.cache.invalidateMembers(...memberIds));
      })
      .on('order.refunded.v1', async (payload, { manager, afterCommit }) => {
        const { memberId } = await this.applyRefund.executeIn(manager, payload, this.clock.now());
        afterCommit(() => this.cache.invalidateMembers(memberId));
      });
  }
}
