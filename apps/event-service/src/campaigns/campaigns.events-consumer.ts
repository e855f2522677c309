import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventConsumer } from '@member-system/shared/messaging';
import { CompleteOrderParticipationsCommand } from './commands/complete-order-participations/complete-order-participations.command';
import { RecordLevelBenefitsCommand } from './commands/record-level-benefits/record-level-benefits.command';

/** Each event is handled in the transaction that claims it in the inbox. */
@Injectable()
export class CampaignsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.consumer.on('order.completed.v1', (payload, { manager }) =>
      this.commandBus.execute(new CompleteOrderParticipationsCommand(manager, payload)),
    );
    this.consumer.on('benefit.level-benefits-changed.v1', (payload, { manager }) =>
      this.commandBus.execute(new RecordLevelBenefitsCommand(manager, payload)),
    );
  }
}
