import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { EventContext } from '@member-system/shared/messaging';

/** `order.cancelled.v1`: the order's benefit uses are taken back, in the event's transaction. */
export class CancelOrderUsesCommand extends Command<void> {
  constructor(
    readonly manager: EntityManager,
    readonly afterCommit: EventContext['afterCommit'],
    readonly orderId: string,
  ) {
    super();
  }
}
