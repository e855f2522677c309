import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventPayload, EventType } from '@member-system/contracts';
import { EventConsumer } from '@member-system/shared/messaging';
import type { EventContext } from '@member-system/shared/messaging';
import { BirthdayGiftsHandler } from '../birthdays/birthday-gifts.handler';
import { UseBenefitHandler } from './commands/use-benefit.handler';
import { Grants } from './grants';
import { HoldingsCache } from './holdings-cache';

@Injectable()
export class BenefitsEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly uses: UseBenefitHandler,
    private readonly birthdays: BirthdayGiftsHandler,
    private readonly grants: Grants,
    private readonly holdings: HoldingsCache,
  ) {}

  onModuleInit(): void {
    this.on('order.cancelled.v1', (manager, payload) =>
      this.uses.cancelOrder(manager, payload.orderId),
    );
    this.on('member.birthday.v1', (manager, payload) => this.birthdays.grant(manager, payload));
    this.on('campaign.reward-granted.v1', (manager, payload) =>
      this.grants.record(manager, payload),
    );
  }

  /** Registers a handler whose changed holdings leave the cache once its event (batch) commits. */
  private on<T extends EventType>(
    type: T,
    handle: (manager: EntityManager, payload: EventPayload<T>) => Promise<void>,
  ): void {
    this.consumer.on(type, async (payload, { manager, afterCommit }: EventContext<T>) => {
      this.holdings.trackEvent(manager, afterCommit);
      await handle(manager, payload);
    });
  }
}
