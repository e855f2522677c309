import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventConsumer } from '@member-system/shared/messaging';
import { GrantBirthdayGiftCommand } from '../birthdays/commands/grant-birthday-gift/grant-birthday-gift.command';
import { CancelOrderUsesCommand } from './commands/cancel-order-uses/cancel-order-uses.command';
import { RecordGrantCommand } from './commands/record-grant/record-grant.command';

/** Each event is handled in the transaction that claims it in the inbox. */
@Injectable()
export class BenefitsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.consumer.on('order.cancelled.v1', (payload, { manager, afterCommit }) =>
      this.commandBus.execute(new CancelOrderUsesCommand(manager, afterCommit, payload.orderId)),
    );
    this.consumer.on('member.birthday.v1', (payload, { manager }) =>
      this.commandBus.execute(new GrantBirthdayGiftCommand(manager, payload)),
    );
    this.consumer.on('campaign.reward-granted.v1', (payload, { manager, afterCommit }) =>
      this.commandBus.execute(new RecordGrantCommand(manager, afterCommit, payload)),
    );
  }
}
