import type { IneligibilityReason } from '@member-system/contracts';

/** A benefit definition as the engine reads it, with its params already checked by its plugin. */
export interface BenefitDefinition<P = Record<string, unknown>> {
  id: string;
  type: string;
  levelId: number;
  name: string;
  description: string | null;
  params: P;
  /** Shared by every type: the least order it applies to, and uses a month (null: no limit). */
  minOrderAmountCents: number | null;
  monthlyQuota: number | null;
  validFrom: Date | null;
  validUntil: Date | null;
  enabled: boolean;
  updatedAt: Date;
}

/** What a benefit is applied to: a cart of a member at a moment. Money in integer cents. */
export interface BenefitContext {
  memberId: string;
  levelId: number;
  orderAmountCents: number;
  shippingFeeCents: number;
  now: Date;
}

/** What a benefit does to a cart; the quote adds these up. */
export interface BenefitEffect {
  /** Off the goods. */
  discountCents?: number;
  freeShipping?: boolean;
  /** Points multiplier in hundredths (1.5 → 150). */
  pointsMultiplierHundredths?: number;
}

export type Applicability =
  | { applicable: true }
  | { applicable: false; reason: IneligibilityReason; details?: Record<string, unknown> };

/**
 * One benefit type (the seed's `BenefitPlugin`). The engine checks what every benefit shares
 * (level, enabled, window, `minOrderAmount`, `monthlyQuota`); a plugin checks and computes what is
 * particular to its type. A new type is one class that registers itself with the
 * BenefitPluginRegistry; nothing else changes.
 */
export interface BenefitPlugin<P extends object = Record<string, unknown>> {
  readonly type: string;
  /** Checks and normalizes an admin's params; throws ValidationFailedException when they are wrong. */
  parseParams(raw: Record<string, unknown>): P;
  /** Conditions of this type beyond the shared ones. */
  isApplicable(benefit: BenefitDefinition<P>, context: BenefitContext): Applicability;
  calculate(benefit: BenefitDefinition<P>, context: BenefitContext): BenefitEffect;
}
