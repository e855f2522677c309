import { Injectable } from '@nestjs/common';
import type { BenefitDefinition, BenefitEffect } from './benefit-plugin';
import { hundredthsOf, onlyKnown } from './params';
import { RegisteredPlugin } from './registered-plugin';

interface MultiplierParams {
  multiplierHundredths: number;
}

/** POINTS_MULTIPLIER `{multiplier: "1.5"}`: the order's estimated points at this multiplier. */
@Injectable()
export class PointsMultiplierPlugin extends RegisteredPlugin<MultiplierParams> {
  readonly type = 'POINTS_MULTIPLIER';

  parseParams(raw: Record<string, unknown>): MultiplierParams {
    onlyKnown(raw, ['multiplier']);
    return { multiplierHundredths: hundredthsOf(raw, 'multiplier', { min: 100, max: 1000 }) };
  }

  calculate(benefit: BenefitDefinition<MultiplierParams>): BenefitEffect {
    return { pointsMultiplierHundredths: benefit.params.multiplierHundredths };
  }
}
