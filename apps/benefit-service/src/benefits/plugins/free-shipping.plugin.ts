import { Injectable } from '@nestjs/common';
import type { BenefitDefinition, BenefitEffect } from './benefit-plugin';
import { onlyKnown } from './params';
import { RegisteredPlugin } from './registered-plugin';

/** FREE_SHIPPING `{monthlyQuota: 2 | null}`: the quota (shared by every type) is the engine's. */
@Injectable()
export class FreeShippingPlugin extends RegisteredPlugin<Record<string, never>> {
  readonly type = 'FREE_SHIPPING';

  parseParams(raw: Record<string, unknown>): Record<string, never> {
    onlyKnown(raw, []);
    return {};
  }

  calculate(_benefit: BenefitDefinition<Record<string, never>>): BenefitEffect {
    return { freeShipping: true };
  }
}
