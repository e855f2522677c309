import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { CompleteParticipationHandler } from './commands/complete-participation.handler';

@Injectable()
export class CampaignsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly completions: CompleteParticipationHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.on('order.completed.v1', (payload, { manager }) =>
      this.completions.byOrder(manager, payload),
    );
  }
}
