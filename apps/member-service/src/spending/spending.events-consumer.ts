import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventConsumer } from '@member-system/shared/messaging';
import { ApplyRefundCommand } from './commands/apply-refund/apply-refund.command';
import { CreditOrderCommand } from './commands/credit-order/credit-order.command';

/** Orders (a batch of them at a time) and refunds from the platform, which make up total spent. */
@Injectable()
export class SpendingEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.consumer
      .onBatch('order.completed.v1', async (events, { manager, afterCommit }) => {
        const orders = events.map((event) => event.payload);
        await this.commandBus.execute(new CreditOrderCommand(manager, afterCommit, orders));
      })
      .on('order.refunded.v1', async (payload, { manager, afterCommit }) => {
        await this.commandBus.execute(new ApplyRefundCommand(manager, afterCommit, payload));
      });
  }
}
