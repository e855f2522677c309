import { Injectable } from '@nestjs/common';
import type { BenefitEffect } from './benefit-plugin';
import { onlyKnown } from './params';
import { RegisteredPlugin } from './registered-plugin';

/** PRIORITY_SERVICE `{}`: customer-service systems ask `GET /members/{memberId}/priority`. */
@Injectable()
export class PriorityServicePlugin extends RegisteredPlugin<Record<string, never>> {
  readonly type = 'PRIORITY_SERVICE';

  parseParams(raw: Record<string, unknown>): Record<string, never> {
    onlyKnown(raw, []);
    return {};
  }

  calculate(): BenefitEffect {
    return {};
  }
}

/** EXCLUSIVE_EVENT `{}`: opens member-only campaigns (event-service reads the member's level). */
@Injectable()
export class ExclusiveEventPlugin extends RegisteredPlugin<Record<string, never>> {
  readonly type = 'EXCLUSIVE_EVENT';

  parseParams(raw: Record<string, unknown>): Record<string, never> {
    onlyKnown(raw, []);
    return {};
  }

  calculate(): BenefitEffect {
    return {};
  }
}
