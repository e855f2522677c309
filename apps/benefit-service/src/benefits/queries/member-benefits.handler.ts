import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode, parseMoney } from '@member-system/contracts';
import type { BenefitView, EligibilityView, PriorityView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { Clock } from '@member-system/shared/service';
import type { Subject } from '@member-system/shared/service';
import { MemberLevels } from '../../member-levels/member-levels';
import { BenefitCatalog } from '../benefit-catalog';
import { BenefitEngine } from '../benefit-engine';
import { Grants } from '../grants';
import { HoldingsCache } from '../holdings-cache';
import { Quotas } from '../quotas';

/** What a member has: the benefits of their level now, one benefit's eligibility, priority. */
@Injectable()
export class MemberBenefitsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly levels: MemberLevels,
    private readonly catalog: BenefitCatalog,
    private readonly engine: BenefitEngine,
    private readonly quotas: Quotas,
    private readonly grants: Grants,
    private readonly holdings: HoldingsCache,
    private readonly clock: Clock,
  ) {}

  /** `GET /benefits/me`: the level's benefits that are switched on and within their window. */
  async available(subject: Subject): Promise<BenefitView[]> {
    const member = await this.levels.of(subject);
    const granted = await this.grants.availableTo(this.dataSource.manager, member.memberId);
    const context = { ...this.contextOf(member, null), granted };
    const benefits = await this.catalog.forMember(member.levelId, granted);
    const open = benefits.filter(
      (benefit) => this.engine.applicability(benefit, context, 0).applicable,
    );
    const views = await Promise.all(open.map((benefit) => this.catalog.viewById(benefit.id)));
    return views.flatMap((view) => view ?? []);
  }

  /** `GET /benefits/me/{benefitId}/eligibility`: yes, or the first reason why not. */
  async eligibility(
    subject: Subject,
    benefitId: string,
    orderAmount?: string,
  ): Promise<EligibilityView> {
    const member = await this.levels.of(subject);
    const benefit = await this.catalog.byId(benefitId);
    if (!benefit) {
      throw new AppException(ErrorCode.BenefitNotFound, 'No such benefit', { benefitId });
    }
    const now = this.clock.now();
    const { granted, used } = await this.holdings.of(member.memberId, this.quotas.periodOf(now));
    const result = this.engine.applicability(
      benefit,
      {
        ...this.contextOf(member, orderAmount === undefined ? null : parseMoney(orderAmount)),
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

  /** `GET /members/{memberId}/priority`: whether the member's level has priority service now. */
  async priority(memberId: string): Promise<PriorityView> {
    const member = await this.levels.of({ memberId });
    const context = this.contextOf(member, null);
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

  private contextOf(
    member: { memberId: string; levelId: number },
    orderAmountCents: number | null,
  ) {
    return {
      memberId: member.memberId,
      levelId: member.levelId,
      orderAmountCents,
      shippingFeeCents: 0,
      now: this.clock.now(),
    };
  }
}
