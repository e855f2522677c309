import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { EventConsumer } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { EarnPointsHandler } from './commands/earn-points/earn-points.handler';

/** Events that earn points. */
@Injectable()
export class LedgerEventsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly earn: EarnPointsHandler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumer
      .on('member.order-credited.v1', (payload, { manager }) =>
        this.earn.forOrder(manager, payload, this.clock.now()),
      )
      .on('review.approved.v1', (payload, { manager }) =>
        this.earn.forReview(manager, payload, this.clock.now()),
      );
  }
}
