import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { MemberCache } from '../members/member-cache';
import { ApplyRefundHandler } from './commands/apply-refund/apply-refund.handler';
import { CreditOrderHandler } from './commands/credit-order/credit-order.handler';

/** Orders and refunds from the platform, which make up total spent. */
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
      .on('order.completed.v1', async (payload, { manager, afterCommit }) => {
        const { memberId } = await this.creditOrder.executeIn(manager, payload, this.clock.now());
        afterCommit(() => this.cache.invalidateMembers(memberId));
      })
      .on('order.refunded.v1', async (payload, { manager, afterCommit }) => {
        const { memberId } = await this.applyRefund.executeIn(manager, payload, this.clock.now());
        afterCommit(() => this.cache.invalidateMembers(memberId));
      });
  }
}
