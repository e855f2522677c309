import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { formatCents, parseMoney } from '@member-system/contracts';
import type { AppliedBenefit, QuoteView } from '@member-system/contracts';
import { Clock, ReadDatabase } from '@member-system/shared/service';
import { MemberLevels } from '../../../member-levels/member-levels';
import { BenefitCatalog } from '../../benefit-catalog';
import { BenefitEngine } from '../../benefit-engine';
import { HoldingsCache } from '../../holdings-cache';
import { Quotas } from '../../quotas';
import { QuoteCartQuery } from './quote-cart.query';

/** 150 → "1.5", 125 → "1.25". */
export function formatMultiplier(hundredths: number): string {
  return (hundredths / 100).toFixed(hundredths % 10 === 0 ? 1 : 2);
}

/**
 * `POST /benefits/quote` (the seed's cart flow): what the member's level benefits do to a cart,
 * without recording anything. Discounts add up (never past the order), free shipping from any
 * benefit, the highest multiplier wins. All in integer cents.
 */
@QueryHandler(QuoteCartQuery)
export class QuoteCartHandler implements IQueryHandler<QuoteCartQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly holdings: HoldingsCache,
    private readonly levels: MemberLevels,
    private readonly catalog: BenefitCatalog,
    private readonly engine: BenefitEngine,
    private readonly quotas: Quotas,
    private readonly clock: Clock,
  ) {}

  async execute({ subject, cart }: QuoteCartQuery): Promise<QuoteView> {
    const member = await this.levels.of(subject);
    const now = this.clock.now();
    const { granted, used } = await this.holdings.of(member.memberId, this.quotas.periodOf(now));
    const context = {
      granted,
      memberId: member.memberId,
      levelId: member.levelId,
      orderAmountCents: parseMoney(cart.orderAmount),
      shippingFeeCents: parseMoney(cart.shippingFee ?? '0.00'),
      now,
    };
    const benefits = await this.readDatabase.read((manager) =>
      this.catalog.forMember(member.levelId, granted, manager),
    );
    let discountCents = 0;
    let freeShipping: AppliedBenefit | undefined;
    let multiplier: { hundredths: number; applied?: AppliedBenefit } = { hundredths: 100 };
    const discounts: AppliedBenefit[] = [];
    for (const benefit of benefits) {
      if (!this.engine.applicability(benefit, context, used.get(benefit.id) ?? 0).applicable) {
        continue;
      }
      const effect = this.engine.effectOf(benefit, context);
      const applied = (amountCents: number): AppliedBenefit => ({
        benefitId: benefit.id,
        type: benefit.type,
        name: benefit.name,
        amount: formatCents(amountCents),
      });
      if (effect.discountCents) {
        const cents = Math.min(effect.discountCents, context.orderAmountCents - discountCents);
        discountCents += cents;
        discounts.push(applied(cents));
      }
      if (effect.freeShipping && !freeShipping) freeShipping = applied(context.shippingFeeCents);
      if ((effect.pointsMultiplierHundredths ?? 0) > multiplier.hundredths) {
        multiplier = { hundredths: effect.pointsMultiplierHundredths ?? 100, applied: applied(0) };
      }
    }
    const goodsCents = context.orderAmountCents - discountCents;
    return {
      memberId: member.memberId,
      levelId: member.levelId,
      orderAmount: formatCents(context.orderAmountCents),
      shippingFee: formatCents(context.shippingFeeCents),
      discountAmount: formatCents(discountCents),
      freeShipping: freeShipping !== undefined,
      payableAmount: formatCents(goodsCents + (freeShipping ? 0 : context.shippingFeeCents)),
      pointsMultiplier: formatMultiplier(multiplier.hundredths),
      // floor(yuan × multiplier) = floor(cents × hundredths / 10 000)
      estimatedPoints: Math.floor((goodsCents * multiplier.hundredths) / 10_000),
      appliedBenefits: [
        ...discounts,
        ...(freeShipping ? [freeShipping] : []),
        ...(multiplier.applied ? [multiplier.applied] : []),
      ],
    };
  }
}
