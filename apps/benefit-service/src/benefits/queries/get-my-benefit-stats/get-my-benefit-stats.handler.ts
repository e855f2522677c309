import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { BenefitStatsView } from '@member-system/contracts';
import { MemberLevels } from '../../../member-levels/member-levels';
import { BenefitUsageStats } from '../../benefit-usage-stats';
import { GetMyBenefitStatsQuery } from './get-my-benefit-stats.query';

/** The member's own uses and amounts per benefit and period. */
@QueryHandler(GetMyBenefitStatsQuery)
export class GetMyBenefitStatsHandler implements IQueryHandler<GetMyBenefitStatsQuery> {
  constructor(
    private readonly levels: MemberLevels,
    private readonly stats: BenefitUsageStats,
  ) {}

  async execute({ subject, query }: GetMyBenefitStatsQuery): Promise<BenefitStatsView> {
    const member = await this.levels.of(subject);
    return this.stats.of('u.member_id = ?', member.memberId, query);
  }
}
