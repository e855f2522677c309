import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { OrderRefundedV1 } from '@member-system/contracts';
import type { AfterCommit } from '../../../database/unit-of-work';

/** `order.refunded.v1`, applied in the event's transaction. */
export class ApplyRefundCommand extends Command<{ outcome: 'applied' | 'duplicate' }> {
  constructor(
    readonly manager: EntityManager,
    readonly afterCommit: AfterCommit,
    readonly refund: OrderRefundedV1,
  ) {
    super();
  }
}
