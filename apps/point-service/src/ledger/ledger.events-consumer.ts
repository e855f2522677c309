import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { parseMoney } from '@member-system/contracts';
import type { EventPayload, EventType } from '@member-system/contracts';
import { EventConsumer } from '@member-system/shared/messaging';
import type { EventContext } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from './account-directory';
import { EarnPointsHandler } from './commands/earn-points/earn-points.handler';
import { Holds } from './core/holds';
import { Ledger } from './core/ledger';
import { Refunds } from './core/refunds';

/** The events that earn, give back, freeze and reverse points. */
@Injectable()
export class LedgerEventsConsumer implements OnModuleInit {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly consumer: EventConsumer,
    private readonly earn: EarnPointsHandler,
    private readonly clock: Clock,
    private readonly ledger: Ledger,
    private readonly holds: Holds,
    private readonly refunds: Refunds,
  ) {}

  onModuleInit(): void {
    this.consumer.onBatch('member.order-credited.v1', async (events, { manager, afterCommit }) => {
      await this.earn.forOrders(
        manager,
        events.map((event) => event.payload),
        this.clock.now(),
      );
      afterCommit(() => this.ledger.invalidateTouched(manager));
    });
    this.on('review.approved.v1', (manager, payload) =>
      this.earn.forReview(manager, payload, this.clock.now()),
    );
    this.on('benefit.birthday-gift-granted.v1', (manager, payload) =>
      this.earn.forBirthday(manager, payload, this.clock.now()),
    );
    this.on('campaign.reward-granted.v1', (manager, payload) =>
      this.earn.forCampaign(manager, payload, this.clock.now()),
    );
    this.on('order.cancelled.v1', async (manager, payload) => {
      const account = await this.accounts.ofUser(manager, payload.userId);
      await this.ledger.restoreOrder(manager, account, payload.orderId);
      const holdId = await this.holds.reservedHoldOf(manager, account.memberId, payload.orderId);
      if (holdId) await this.holds.release(manager, account, holdId, this.clock.now());
    });
    this.on('order.refund-requested.v1', async (manager, payload) => {
      const account = await this.accounts.ofUser(manager, payload.userId);
      await this.refunds.freeze(manager, account, {
        orderId: payload.orderId,
        refundId: payload.refundId,
        amountCents: parseMoney(payload.amount),
        at: this.clock.now(),
      });
    });
    this.on('order.refunded.v1', async (manager, payload) => {
      await this.refunds.reverse(manager, await this.accounts.ofUser(manager, payload.userId), {
        orderId: payload.orderId,
        refundId: payload.refundId,
        amountCents: parseMoney(payload.amount),
        at: this.clock.now(),
      });
    });
    this.on('order.refund-rejected.v1', async (manager, payload) => {
      await this.refunds.unfreeze(
        manager,
        await this.accounts.ofUser(manager, payload.userId),
        payload.refundId,
      );
    });
  }

  /** Registers a handler whose touched balances are dropped from the cache once the event commits. */
  private on<T extends EventType>(
    type: T,
    handle: (manager: EntityManager, payload: EventPayload<T>) => Promise<void>,
  ): void {
    this.consumer.on(type, async (payload, { manager, afterCommit }: EventContext<T>) => {
      await handle(manager, payload);
      afterCommit(() => this.ledger.invalidateTouched(manager));
    });
  }
}
