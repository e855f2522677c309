import { Query } from '@nestjs/cqrs';
import type { BenefitView, BenefitsQueryDto, Page } from '@member-system/contracts';

/** `GET /admin/benefits`, by level and type, a page at a time. */
export class ListBenefitsQuery extends Query<Page<BenefitView>> {
  constructor(readonly filter: BenefitsQueryDto) {
    super();
  }
}
