import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { PriorityView } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { MemberLevels } from '../../../member-levels/member-levels';
import { BenefitCatalog } from '../../benefit-catalog';
import { BenefitEngine, memberContextOf } from '../../benefit-engine';
import { GetPriorityQuery } from './get-priority.query';

/**
 * Whether the member's level has priority service now. Reads only the cached level and level
 * benefits, so nothing here goes to the read database.
 */
@QueryHandler(GetPriorityQuery)
export class GetPriorityHandler implements IQueryHandler<GetPriorityQuery> {
  constructor(
    private readonly levels: MemberLevels,
    private readonly catalog: BenefitCatalog,
    private readonly engine: BenefitEngine,
    private readonly clock: Clock,
  ) {}

  async execute({ memberId }: GetPriorityQuery): Promise<PriorityView> {
    const member = await this.levels.of({ memberId });
    const context = memberContextOf(member, this.clock.now());
    const benefit = (await this.catalog.ofLevel(member.levelId)).find(
      (candidate) =>
        candidate.type === 'PRIORITY_SERVICE' &&
        this.engine.applicability(candidate, context, 0).applicable,
    );
    return {
      memberId: member.memberId,
      levelId: member.levelId,
      priority: benefit !== undefined,
      benefitId: benefit?.id ?? null,
    };
  }
}
