import { Command } from '@nestjs/cqrs';
import type { BenefitView, SaveBenefitDto } from '@member-system/contracts';

/** `PUT /admin/benefits/{benefitId}` */
export class UpdateBenefitCommand extends Command<BenefitView> {
  constructor(
    readonly benefitId: string,
    readonly definition: SaveBenefitDto,
  ) {
    super();
  }
}
