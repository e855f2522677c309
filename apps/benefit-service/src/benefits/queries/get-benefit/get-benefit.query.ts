import { Query } from '@nestjs/cqrs';
import type { BenefitView } from '@member-system/contracts';

/** One benefit, for a service that names it (a campaign's reward). */
export class GetBenefitQuery extends Query<BenefitView> {
  constructor(readonly benefitId: string) {
    super();
  }
}
