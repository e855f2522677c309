import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { AdminJobView } from '@member-system/contracts';
import { AdminJobs } from '@member-system/shared/service';
import { CampaignCatalog } from '../../campaign-catalog';
import { requireStatus } from '../../campaign-transitions';
import { StartRewardDistributionCommand } from './start-reward-distribution.command';

/**
 * Checks the campaign now (404, or 409 for a draft) and queues its distribution as an admin job
 * (`distribute-rewards`, run by DistributeRewardsJob); while one is queued or running for the
 * campaign, that one is the answer.
 */
@CommandHandler(StartRewardDistributionCommand)
export class StartRewardDistributionHandler implements ICommandHandler<StartRewardDistributionCommand> {
  constructor(
    private readonly catalog: CampaignCatalog,
    private readonly jobs: AdminJobs,
  ) {}

  async execute({
    campaignId,
    actor,
    correlationId,
  }: StartRewardDistributionCommand): Promise<AdminJobView> {
    const campaign = await this.catalog.byId(campaignId);
    requireStatus(campaign, ['published', 'closed', 'settled'], 'Drafts have nothing to reward');
    return this.jobs.start({
      kind: 'distribute-rewards',
      params: { campaignId },
      activeKey: `distribute-rewards:${campaignId}`,
      actor,
      correlationId,
    });
  }
}
