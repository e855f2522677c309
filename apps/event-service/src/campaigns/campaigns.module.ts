import { Module } from '@nestjs/common';
import { MemberLevelProjection } from '@member-system/shared/service';
import { CampaignCatalog } from './campaign-catalog';
import { CampaignEligibility } from './campaign-eligibility';
import { CampaignsEventsConsumer } from './campaigns.events-consumer';
import { CampaignsRpcController } from './campaigns.rpc-controller';
import { CloseCampaignsJob } from './commands/close-campaigns.job';
import { CompleteParticipationHandler } from './commands/complete-participation.handler';
import { DistributeRewardsHandler } from './commands/distribute-rewards.handler';
import { JoinCampaignHandler } from './commands/join-campaign.handler';
import { ManageCampaignsHandler } from './commands/manage-campaigns.handler';
import { CampaignQueries } from './queries/campaign-queries';
import { ParticipationQueries } from './queries/participation-queries';

@Module({
  controllers: [CampaignsRpcController],
  providers: [
    MemberLevelProjection,
    CampaignCatalog,
    CampaignEligibility,
    CampaignQueries,
    ParticipationQueries,
    ManageCampaignsHandler,
    JoinCampaignHandler,
    CompleteParticipationHandler,
    DistributeRewardsHandler,
    CloseCampaignsJob,
    CampaignsEventsConsumer,
  ],
})
export class CampaignsModule {}
