import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { OrderCancelledV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** `order.cancelled.v1`. */
export class RestoreCancelledOrderCommand extends Command<void> {
  constructor(
    /** The event's transaction: its inbox claim and these writes commit together. */
    readonly manager: EntityManager,
    readonly order: OrderCancelledV1,
    readonly afterCommit: EventContext['afterCommit'],
  ) {
    super();
  }
}
