import { Query } from '@nestjs/cqrs';
import type { EligibilityView } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

/** `GET /benefits/me/{benefitId}/eligibility`, for an order of `orderAmount` when given. */
export class CheckBenefitEligibilityQuery extends Query<EligibilityView> {
  constructor(
    readonly subject: Subject,
    readonly benefitId: string,
    readonly orderAmount?: string,
  ) {
    super();
  }
}
