import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { OrderCompletedV1 } from '@member-system/contracts';
import type { AfterCommit } from '../../../database/unit-of-work';

/** `order.completed.v1`, the orders of one batch of events, credited in the batch's transaction. */
export class CreditOrderCommand extends Command<void> {
  constructor(
    readonly manager: EntityManager,
    readonly afterCommit: AfterCommit,
    readonly orders: readonly OrderCompletedV1[],
  ) {
    super();
  }
}
