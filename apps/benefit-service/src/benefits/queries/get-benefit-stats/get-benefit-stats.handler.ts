import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { BenefitStatsView } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { BenefitCatalog } from '../../benefit-catalog';
import { BenefitUsageStats } from '../../benefit-usage-stats';
import { GetBenefitStatsQuery } from './get-benefit-stats.query';

/** One benefit's uses and amounts per period, every member together. */
@QueryHandler(GetBenefitStatsQuery)
export class GetBenefitStatsHandler implements IQueryHandler<GetBenefitStatsQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly catalog: BenefitCatalog,
    private readonly stats: BenefitUsageStats,
  ) {}

  async execute({ benefitId, query }: GetBenefitStatsQuery): Promise<BenefitStatsView> {
    await this.readDatabase.read((manager) => this.catalog.viewOrThrow(benefitId, manager));
    return this.stats.of('u.benefit_id = ?', benefitId, query);
  }
}
