import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { OrderCompletedV1 } from '@member-system/contracts';

/** `order.completed.v1`: what the order qualifies for completes, in the event's transaction. */
export class CompleteOrderParticipationsCommand extends Command<void> {
  constructor(
    readonly manager: EntityManager,
    readonly order: OrderCompletedV1,
  ) {
    super();
  }
}
