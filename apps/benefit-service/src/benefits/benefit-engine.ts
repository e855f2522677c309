import { Injectable } from '@nestjs/common';
import type {
  Applicability,
  BenefitContext,
  BenefitDefinition,
  BenefitEffect,
} from './plugins/benefit-plugin';
import { BenefitPluginRegistry } from './plugins/plugin-registry';

/** A cart, or just a member and a moment when no order amount is known (eligibility). */
export type EvaluationContext = Omit<BenefitContext, 'orderAmountCents'> & {
  orderAmountCents: number | null;
  /** Benefits the member holds a campaign grant of: usable whatever their level. */
  granted?: ReadonlySet<string>;
};

/** A member at a moment, without a cart: only an order amount, when the caller knows one. */
export function memberContextOf(
  member: { memberId: string; levelId: number },
  now: Date,
  orderAmountCents: number | null = null,
): EvaluationContext {
  return {
    memberId: member.memberId,
    levelId: member.levelId,
    orderAmountCents,
    shippingFeeCents: 0,
    now,
  };
}

/** Whether the member would use the benefit through a grant rather than through their level. */
export function throughGrant(benefit: BenefitDefinition, context: EvaluationContext): boolean {
  return benefit.levelId !== context.levelId && (context.granted?.has(benefit.id) ?? false);
}

/**
 * Applies benefits through their plugins. The conditions every benefit shares come first, in the
 * order a member would want to hear them: switched off, not their level, outside its window,
 * order too small, monthly quota used up; then the plugin's own.
 */
@Injectable()
export class BenefitEngine {
  constructor(private readonly registry: BenefitPluginRegistry) {}

  applicability(
    benefit: BenefitDefinition,
    context: EvaluationContext,
    usedThisMonth: number,
  ): Applicability {
    if (!benefit.enabled) return { applicable: false, reason: 'DISABLED' };
    const granted = throughGrant(benefit, context);
    if (benefit.levelId !== context.levelId && !granted) {
      return {
        applicable: false,
        reason: benefit.levelId > context.levelId ? 'LEVEL_TOO_LOW' : 'OTHER_LEVEL',
        details: { requiredLevelId: benefit.levelId, memberLevelId: context.levelId },
      };
    }
    const now = context.now.getTime();
    if (
      (benefit.validFrom && now < benefit.validFrom.getTime()) ||
      (benefit.validUntil && now >= benefit.validUntil.getTime())
    ) {
      return {
        applicable: false,
        reason: 'OUTSIDE_WINDOW',
        details: {
          validFrom: benefit.validFrom?.toISOString() ?? null,
          validUntil: benefit.validUntil?.toISOString() ?? null,
        },
      };
    }
    if (
      benefit.minOrderAmountCents !== null &&
      context.orderAmountCents !== null &&
      context.orderAmountCents < benefit.minOrderAmountCents
    ) {
      return {
        applicable: false,
        reason: 'MIN_AMOUNT_NOT_MET',
        details: { minOrderAmountCents: benefit.minOrderAmountCents },
      };
    }
    // A grant is one use of its own, outside the level's monthly quota.
    if (!granted && benefit.monthlyQuota !== null && usedThisMonth >= benefit.monthlyQuota) {
      return {
        applicable: false,
        reason: 'QUOTA_USED_UP',
        details: { monthlyQuota: benefit.monthlyQuota, usedThisMonth },
      };
    }
    if (context.orderAmountCents === null) return { applicable: true };
    return this.pluginOf(benefit).isApplicable(benefit, {
      ...context,
      orderAmountCents: context.orderAmountCents,
    });
  }

  effectOf(benefit: BenefitDefinition, context: BenefitContext): BenefitEffect {
    return this.pluginOf(benefit).calculate(benefit, context);
  }

  private pluginOf(benefit: BenefitDefinition) {
    const plugin = this.registry.find(benefit.type);
    if (!plugin) throw new Error(`benefit ${benefit.id} has the unregistered type ${benefit.type}`);
    return plugin;
  }
}
