import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { ReviewApprovedV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** `review.approved.v1`. */
export class EarnReviewPointsCommand extends Command<void> {
  constructor(
    /** The event's transaction: its inbox claim and these writes commit together. */
    readonly manager: EntityManager,
    readonly review: ReviewApprovedV1,
    readonly afterCommit: EventContext['afterCommit'],
  ) {
    super();
  }
}
