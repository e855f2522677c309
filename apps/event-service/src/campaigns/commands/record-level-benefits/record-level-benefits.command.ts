import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { BenefitLevelBenefitsChangedV1 } from '@member-system/contracts';

/** `benefit.level-benefits-changed.v1`, in the event's transaction. */
export class RecordLevelBenefitsCommand extends Command<void> {
  constructor(
    readonly manager: EntityManager,
    readonly change: BenefitLevelBenefitsChangedV1,
  ) {
    super();
  }
}
