import { Command } from '@nestjs/cqrs';
import type { BenefitView, SaveBenefitDto } from '@member-system/contracts';

/** `POST /admin/benefits` */
export class CreateBenefitCommand extends Command<BenefitView> {
  constructor(readonly definition: SaveBenefitDto) {
    super();
  }
}
