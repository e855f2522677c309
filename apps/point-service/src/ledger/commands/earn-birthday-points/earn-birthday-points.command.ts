import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { BenefitBirthdayGiftGrantedV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** `benefit.birthday-gift-granted.v1`. */
export class EarnBirthdayPointsCommand extends Command<void> {
  constructor(
    /** The event's transaction: its inbox claim and these writes commit together. */
    readonly manager: EntityManager,
    readonly gift: BenefitBirthdayGiftGrantedV1,
    readonly afterCommit: EventContext['afterCommit'],
  ) {
    super();
  }
}
