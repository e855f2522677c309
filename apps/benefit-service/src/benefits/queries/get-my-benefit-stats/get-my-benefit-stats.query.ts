import { Query } from '@nestjs/cqrs';
import type { BenefitStatsQueryDto, BenefitStatsView } from '@member-system/contracts';
import type { Subject } from '@member-system/shared/service';

/** `GET /benefits/me/stats` */
export class GetMyBenefitStatsQuery extends Query<BenefitStatsView> {
  constructor(
    readonly subject: Subject,
    readonly query: BenefitStatsQueryDto,
  ) {
    super();
  }
}
