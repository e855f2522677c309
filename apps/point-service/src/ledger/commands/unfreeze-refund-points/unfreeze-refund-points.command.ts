import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { OrderRefundRejectedV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** `order.refund-rejected.v1`. */
export class UnfreezeRefundPointsCommand extends Command<void> {
  constructor(
    /** The event's transaction: its inbox claim and these writes commit together. */
    readonly manager: EntityManager,
    readonly refund: OrderRefundRejectedV1,
    readonly afterCommit: EventContext['afterCommit'],
  ) {
    super();
  }
}
