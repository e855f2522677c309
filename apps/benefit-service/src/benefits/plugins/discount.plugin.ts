import { Injectable } from '@nestjs/common';
import type { BenefitContext, BenefitDefinition, BenefitEffect } from './benefit-plugin';
import { hundredthsOf, onlyKnown } from './params';
import { RegisteredPlugin } from './registered-plugin';

interface DiscountParams {
  /** The share of the price paid, in hundredths (0.95 → 95). */
  rateHundredths: number;
}

/** DISCOUNT `{rate: "0.95"}`: orderAmount × (1 − rate), rounded half-up to the cent (docs/api/contract.md). */
@Injectable()
export class DiscountPlugin extends RegisteredPlugin<DiscountParams> {
  readonly type = 'DISCOUNT';

  parseParams(raw: Record<string, unknown>): DiscountParams {
    onlyKnown(raw, ['rate']);
    return { rateHundredths: hundredthsOf(raw, 'rate', { min: 1, max: 100 }) };
  }

  calculate(benefit: BenefitDefinition<DiscountParams>, context: BenefitContext): BenefitEffect {
    const off = 100 - benefit.params.rateHundredths;
    // cents × off / 100, half-up, in integers: (cents × off + 50) / 100 floored.
    return { discountCents: Math.floor((context.orderAmountCents * off + 50) / 100) };
  }
}
