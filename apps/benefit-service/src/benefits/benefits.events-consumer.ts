import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { BirthdayGiftsHandler } from '../birthdays/birthday-gifts.handler';
import { UseBenefitHandler } from './commands/use-benefit.handler';
import { Grants } from './grants';

@Injectable()
export class BenefitsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly uses: UseBenefitHandler,
    private readonly birthdays: BirthdayGiftsHandler,
    private readonly grants: Grants,
  ) {}

  onModuleInit(): void {
    this.consumer.on('order.cancelled.v1', (payload, { manager }) =>
      this.uses.cancelOrder(manager, payload.orderId),
    );
    this.consumer.on('member.birthday.v1', (payload, { manager }) =>
      this.birthdays.grant(manager, payload),
    );
    this.consumer.on('campaign.reward-granted.v1', (payload, { manager }) =>
      this.grants.record(manager, payload),
    );
  }
}
