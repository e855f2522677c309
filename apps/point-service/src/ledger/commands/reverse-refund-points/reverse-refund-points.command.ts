import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { OrderRefundedV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** `order.refunded.v1`. */
export class ReverseRefundPointsCommand extends Command<void> {
  constructor(
    /** The event's transaction: its inbox claim and these writes commit together. */
    readonly manager: EntityManager,
    readonly refund: OrderRefundedV1,
    readonly afterCommit: EventContext['afterCommit'],
  ) {
    super();
  }
}
