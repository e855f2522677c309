import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { EVENT_QUEUES, PAGE_LIMIT_MAX, RPC_QUEUES } from '@member-system/contracts';
import type { SaveCampaignDto } from '@member-system/contracts';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { startServiceContext } from '@member-system/shared/testing';
import { CompleteParticipationCommand } from '../src/campaigns/commands/complete-participation/complete-participation.command';
import { CreateCampaignCommand } from '../src/campaigns/commands/create-campaign/create-campaign.command';
import { DistributeRewardsCommand } from '../src/campaigns/commands/distribute-rewards/distribute-rewards.command';
import { JoinCampaignCommand } from '../src/campaigns/commands/join-campaign/join-campaign.command';
import { PublishCampaignCommand } from '../src/campaigns/commands/publish-campaign/publish-campaign.command';
import { UpdateCampaignCommand } from '../src/campaigns/commands/update-campaign/update-campaign.command';
import { ListOpenCampaignsQuery } from '../src/campaigns/queries/list-open-campaigns/list-open-campaigns.query';
import { EventServiceConfig } from '../src/config/event-service.config';
import { eventDatabase } from '../src/database/data-source';
import { EVENT_SERVICE_FEATURES } from '../src/features';
import { EVENT_SUBSCRIPTIONS } from '../src/service.definition';

/** event-service as it runs, on the test's schema and vhost, with settings overridden. */
export function startEventService(
  env: IntegrationEnv,
  settings: Partial<EventServiceConfig> = {},
): Promise<INestApplicationContext> {
  return startServiceContext(
    env,
    {
      name: 'event-service',
      rpcQueue: RPC_QUEUES.event,
      eventQueue: EVENT_QUEUES.event,
      subscriptions: EVENT_SUBSCRIPTIONS,
      database: eventDatabase,
      config: Object.assign(new EventServiceConfig(), settings),
    },
    EVENT_SERVICE_FEATURES,
  );
}

/** The service's use cases as its RPC controller runs them: through the command and query buses. */
export function campaignUseCases(app: INestApplicationContext) {
  const commands = app.get(CommandBus);
  const queries = app.get(QueryBus);
  return {
    create: (campaign: SaveCampaignDto) => commands.execute(new CreateCampaignCommand(campaign)),
    update: (campaignId: string, campaign: SaveCampaignDto) =>
      commands.execute(new UpdateCampaignCommand(campaignId, campaign)),
    publish: (campaignId: string) => commands.execute(new PublishCampaignCommand(campaignId)),
    join: (userId: string, campaignId: string) =>
      commands.execute(new JoinCampaignCommand(userId, campaignId)),
    complete: (participationId: string) =>
      commands.execute(new CompleteParticipationCommand(participationId)),
    distribute: (campaignId: string) => commands.execute(new DistributeRewardsCommand(campaignId)),
    /** The campaigns open to the member: the first page, as long as any test needs. */
    openTo: async (userId: string) =>
      (await queries.execute(new ListOpenCampaignsQuery(userId, { limit: PAGE_LIMIT_MAX }))).items,
  };
}
