import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { OrderRefundRequestedV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** `order.refund-requested.v1`. */
export class FreezeRefundPointsCommand extends Command<void> {
  constructor(
    /** The event's transaction: its inbox claim and these writes commit together. */
    readonly manager: EntityManager,
    readonly refund: OrderRefundRequestedV1,
    readonly afterCommit: EventContext['afterCommit'],
  ) {
    super();
  }
}
