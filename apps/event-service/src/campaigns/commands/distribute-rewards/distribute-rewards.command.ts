import { Command } from '@nestjs/cqrs';
import type { DistributionResult } from '@member-system/contracts';
import type { AdminJobContext } from '@member-system/shared/service';

/** The work of a `distribute-rewards` admin job (`POST /admin/campaigns/{campaignId}/distribute-rewards`). */
export class DistributeRewardsCommand extends Command<DistributionResult> {
  constructor(
    readonly campaignId: string,
    /** The admin job it runs in: progress goes there, and its signal stops it between batches. */
    readonly job?: AdminJobContext,
  ) {
    super();
  }
}
