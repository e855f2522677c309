import { Query } from '@nestjs/cqrs';
import type { BenefitStatsQueryDto, BenefitStatsView } from '@member-system/contracts';

/** `GET /admin/benefits/{benefitId}/stats` */
export class GetBenefitStatsQuery extends Query<BenefitStatsView> {
  constructor(
    readonly benefitId: string,
    readonly query: BenefitStatsQueryDto,
  ) {
    super();
  }
}
