import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { parseMoney } from '@member-system/contracts';
import { EventConsumer } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { accountOfUser } from './account-of-user';
import { EarnPointsHandler } from './commands/earn-points/earn-points.handler';
import { Holds } from './holds';
import { Ledger } from './ledger';
import { Refunds } from './refunds';

/** Events that earn points. */
@Injectable()
export class LedgerEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly earn: EarnPointsHandler,
    private readonly clock: Clock,
    private readonly ledger: Ledger,
    private readonly holds: Holds,
    private readonly refunds: Refunds,
  ) {}

  onModuleInit(): void {
    this.consumer
      .on('member.order-credited.v1', (payload, { manager }) =>
        this.earn.forOrder(manager, payload, this.clock.now()),
      )
      .on('review.approved.v1', (payload, { manager }) =>
        this.earn.forReview(manager, payload, this.clock.now()),
      )
      .on('order.cancelled.v1', async (payload, { manager }) => {
        const account = await accountOfUser(manager, payload.userId);
        await this.ledger.restoreOrder(manager, account, payload.orderId);
        const holdId = await this.holds.reservedHoldOf(manager, payload.orderId);
        if (holdId) await this.holds.release(manager, account, holdId, this.clock.now());
      })
      .on('order.refund-requested.v1', async (payload, { manager }) => {
        const account = await accountOfUser(manager, payload.userId);
        await this.refunds.freeze(manager, account, { ...payload, at: this.clock.now() });
      })
      .on('order.refunded.v1', async (payload, { manager }) => {
        const account = await accountOfUser(manager, payload.userId);
        await this.refunds.reverse(manager, account, {
          orderId: payload.orderId,
          refundId: payload.refundId,
          amountCents: parseMoney(payload.amount),
          at: this.clock.now(),
        });
      })
      .on('member.birthday.v1', (payload, { manager }) =>
        this.earn.forBirthday(manager, payload, this.clock.now()),
      )
      .on('campaign.reward-granted.v1', (payload, { manager }) =>
        this.earn.forCampaign(manager, payload, this.clock.now()),
      )
      .on('order.refund-rejected.v1', async (payload, { manager }) => {
        await this.refunds.unfreeze(
          manager,
          await accountOfUser(manager, payload.userId),
          payload.refundId,
        );
      });
  }
}
