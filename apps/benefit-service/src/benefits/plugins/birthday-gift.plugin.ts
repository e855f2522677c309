import { Injectable } from '@nestjs/common';
import type { BenefitDefinition, BenefitEffect } from './benefit-plugin';
import { onlyKnown, wholeNumberOf } from './params';
import { RegisteredPlugin } from './registered-plugin';

export interface BirthdayGiftParams {
  points: number;
}

/** BIRTHDAY_GIFT `{points: 300}`: granted on the member's birthday, nothing at checkout. */
@Injectable()
export class BirthdayGiftPlugin extends RegisteredPlugin<BirthdayGiftParams> {
  readonly type = 'BIRTHDAY_GIFT';

  parseParams(raw: Record<string, unknown>): BirthdayGiftParams {
    onlyKnown(raw, ['points']);
    return { points: wholeNumberOf(raw, 'points', { min: 1, max: 1_000_000 }) };
  }

  calculate(_benefit: BenefitDefinition<BirthdayGiftParams>): BenefitEffect {
    return {};
  }
}
