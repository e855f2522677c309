import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { BenefitView } from '@member-system/contracts';
import { Clock, ReadDatabase } from '@member-system/shared/service';
import { MemberLevels } from '../../../member-levels/member-levels';
import { BenefitCatalog } from '../../benefit-catalog';
import { BenefitEngine, memberContextOf } from '../../benefit-engine';
import { Grants } from '../../grants';
import { ListMyBenefitsQuery } from './list-my-benefits.query';

/** The benefits the member has now: their level's (and their grants'), switched on and in window. */
@QueryHandler(ListMyBenefitsQuery)
export class ListMyBenefitsHandler implements IQueryHandler<ListMyBenefitsQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly levels: MemberLevels,
    private readonly catalog: BenefitCatalog,
    private readonly engine: BenefitEngine,
    private readonly grants: Grants,
    private readonly clock: Clock,
  ) {}

  async execute({ subject }: ListMyBenefitsQuery): Promise<BenefitView[]> {
    const member = await this.levels.of(subject);
    return this.readDatabase.read(async (manager) => {
      const granted = await this.grants.availableTo(manager, member.memberId);
      const context = { ...memberContextOf(member, this.clock.now()), granted };
      const benefits = await this.catalog.forMember(member.levelId, granted, manager);
      const open = benefits.filter(
        (benefit) => this.engine.applicability(benefit, context, 0).applicable,
      );
      const views = await Promise.all(
        open.map((benefit) => this.catalog.viewById(benefit.id, manager)),
      );
      return views.flatMap((view) => view ?? []);
    });
  }
}
