import { Command } from '@nestjs/cqrs';
import type { BenefitUsageView, UseBenefitDto } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

/** `POST /benefits/use`: the member uses a benefit on an order. */
export class UseBenefitCommand extends Command<BenefitUsageView> {
  constructor(
    readonly subject: Subject,
    readonly use: UseBenefitDto,
  ) {
    super();
  }
}
