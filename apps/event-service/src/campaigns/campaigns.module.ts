import { Module } from '@nestjs/common';
import { MemberLevelProjection } from '@member-system/shared/service';
import { CampaignCatalog } from './campaign-catalog';
import { CampaignEligibility } from './campaign-eligibility';
import { CampaignReferences } from './campaign-references';
import { CampaignTransitions } from './campaign-transitions';
import { CampaignsEventsConsumer } from './campaigns.events-consumer';
import { CampaignsRpcController } from './campaigns.rpc-controller';
import { CloseCampaignsJob } from './close-campaigns.job';
import { CloseCampaignHandler } from './commands/close-campaign/close-campaign.handler';
import { CloseEndedCampaignsHandler } from './commands/close-ended-campaigns/close-ended-campaigns.handler';
import { CompleteOrderParticipationsHandler } from './commands/complete-order-participations/complete-order-participations.handler';
import { CompleteParticipationHandler } from './commands/complete-participation/complete-participation.handler';
import { CreateCampaignHandler } from './commands/create-campaign/create-campaign.handler';
import { DistributeRewardsHandler } from './commands/distribute-rewards/distribute-rewards.handler';
import { DistributeRewardsJob } from './distribute-rewards.job';
import { JoinCampaignHandler } from './commands/join-campaign/join-campaign.handler';
import { PublishCampaignHandler } from './commands/publish-campaign/publish-campaign.handler';
import { RecordLevelBenefitsHandler } from './commands/record-level-benefits/record-level-benefits.handler';
import { StartRewardDistributionHandler } from './commands/start-reward-distribution/start-reward-distribution.handler';
import { UpdateCampaignHandler } from './commands/update-campaign/update-campaign.handler';
import { ParticipationCompletion } from './participation-completion';
import { GetCampaignHandler } from './queries/get-campaign/get-campaign.handler';
import { ListCampaignsHandler } from './queries/list-campaigns/list-campaigns.handler';
import { ListMyParticipationsHandler } from './queries/list-my-participations/list-my-participations.handler';
import { ListOpenCampaignsHandler } from './queries/list-open-campaigns/list-open-campaigns.handler';

@Module({
  controllers: [CampaignsRpcController],
  providers: [
    MemberLevelProjection,
    CampaignCatalog,
    CampaignEligibility,
    CampaignReferences,
    CampaignTransitions,
    ParticipationCompletion,
    // commands
    CreateCampaignHandler,
    UpdateCampaignHandler,
    PublishCampaignHandler,
    CloseCampaignHandler,
    JoinCampaignHandler,
    CompleteParticipationHandler,
    CompleteOrderParticipationsHandler,
    StartRewardDistributionHandler,
    DistributeRewardsHandler,
    CloseEndedCampaignsHandler,
    RecordLevelBenefitsHandler,
    // queries
    ListOpenCampaignsHandler,
    ListCampaignsHandler,
    GetCampaignHandler,
    ListMyParticipationsHandler,
    CloseCampaignsJob,
    DistributeRewardsJob,
    CampaignsEventsConsumer,
  ],
})
export class CampaignsModule {}
