import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { MemberOrderCreditedV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** A run of `member.order-credited.v1` events, credited in one transaction. */
export class EarnOrderPointsCommand extends Command<void> {
  constructor(
    /** The events' transaction: their inbox claims and these writes commit together. */
    readonly manager: EntityManager,
    readonly orders: readonly MemberOrderCreditedV1[],
    readonly afterCommit: EventContext['afterCommit'],
  ) {
    super();
  }
}
