import { Command } from '@nestjs/cqrs';
import type { Actor, AdminJobView } from '@member-system/contracts';

/** `POST /admin/campaigns/{campaignId}/distribute-rewards`: starts the distribution as an admin job. */
export class StartRewardDistributionCommand extends Command<AdminJobView> {
  constructor(
    readonly campaignId: string,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {
    super();
  }
}
