import { Command } from '@nestjs/cqrs';
import type { DistributionResult } from '@member-system/contracts';

/** `POST /admin/campaigns/{campaignId}/distribute-rewards` */
export class DistributeRewardsCommand extends Command<DistributionResult> {
  constructor(readonly campaignId: string) {
    super();
  }
}
