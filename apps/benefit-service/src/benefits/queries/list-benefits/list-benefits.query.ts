import { Query } from '@nestjs/cqrs';
import type { BenefitView, BenefitsQueryDto } from '@member-system/contracts';

/** `GET /admin/benefits`, by level and type. */
export class ListBenefitsQuery extends Query<BenefitView[]> {
  constructor(readonly filter: BenefitsQueryDto) {
    super();
  }
}
