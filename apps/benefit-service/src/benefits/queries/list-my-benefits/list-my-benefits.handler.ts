import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import type { BenefitView, Page } from '@member-system/contracts';
import { acceptedRows } from '@member-system/shared/database';
import { Clock, ReadDatabase } from '@member-system/shared/service';
import { MemberLevels } from '../../../member-levels/member-levels';
import { BY_AGE, BenefitCatalog } from '../../benefit-catalog';
import { BenefitEngine, memberContextOf } from '../../benefit-engine';
import { Grants } from '../../grants';
import { ListMyBenefitsQuery } from './list-my-benefits.query';

/**
 * The benefits the member has now: their level's (and their grants'), switched on and in window,
 * oldest first, a page at a time.
 */
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

  async execute({ subject, page }: ListMyBenefitsQuery): Promise<Page<BenefitView>> {
    const member = await this.levels.of(subject);
    const limit = page.limit ?? PAGE_LIMIT_DEFAULT;
    return this.readDatabase.read(async (manager) => {
      const granted = await this.grants.availableTo(manager, member.memberId);
      const context = { ...memberContextOf(member, this.clock.now()), granted };
      const rows = await acceptedRows(
        BY_AGE,
        page.cursor,
        (after, batch) =>
          this.catalog.forMemberAfter(manager, member.levelId, granted, after, batch),
        (candidates) =>
          Promise.resolve(
            candidates.filter(
              ({ definition }) =>
                definition !== undefined &&
                this.engine.applicability(definition, context, 0).applicable,
            ),
          ),
        limit,
      );
      return BY_AGE.page(rows, limit, ({ view }) => view);
    });
  }
}
