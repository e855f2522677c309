import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { parseMoney } from '@member-system/contracts';
import type { EligibilityView } from '@member-system/contracts';
import { Clock, ReadDatabase } from '@member-system/shared/service';
import { MemberLevels } from '../../../member-levels/member-levels';
import { BenefitCatalog, benefitNotFound } from '../../benefit-catalog';
import { BenefitEngine, memberContextOf } from '../../benefit-engine';
import { HoldingsCache } from '../../holdings-cache';
import { Quotas } from '../../quotas';
import { CheckBenefitEligibilityQuery } from './check-benefit-eligibility.query';

/** Whether the member may use the benefit now: yes, or the first reason why not. */
@QueryHandler(CheckBenefitEligibilityQuery)
export class CheckBenefitEligibilityHandler implements IQueryHandler<CheckBenefitEligibilityQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly levels: MemberLevels,
    private readonly catalog: BenefitCatalog,
    private readonly engine: BenefitEngine,
    private readonly quotas: Quotas,
    private readonly holdings: HoldingsCache,
    private readonly clock: Clock,
  ) {}

  async execute({
    subject,
    benefitId,
    orderAmount,
  }: CheckBenefitEligibilityQuery): Promise<EligibilityView> {
    const member = await this.levels.of(subject);
    const benefit = await this.readDatabase.read((manager) =>
      this.catalog.byId(benefitId, manager),
    );
    if (!benefit) throw benefitNotFound(benefitId);
    const now = this.clock.now();
    const { granted, used } = await this.holdings.of(member.memberId, this.quotas.periodOf(now));
    const result = this.engine.applicability(
      benefit,
      {
        ...memberContextOf(member, now, orderAmount === undefined ? null : parseMoney(orderAmount)),
        granted,
      },
      used.get(benefit.id) ?? 0,
    );
    return result.applicable
      ? { eligible: true }
      : {
          eligible: false,
          reason: result.reason,
          ...(result.details ? { details: result.details } : {}),
        };
  }
}
