import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CampaignRpc,
  CampaignsQueryDto,
  ListQueryDto,
  SaveCampaignDto,
} from '@member-system/contracts';
import type {
  AdminJobView,
  CampaignView,
  JoinResult,
  Page,
  ParticipationView,
  RpcCommand,
} from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { dataOf, idOf, requireRole } from '@member-system/shared/service';
import { CloseCampaignCommand } from './commands/close-campaign/close-campaign.command';
import { CompleteParticipationCommand } from './commands/complete-participation/complete-participation.command';
import { CreateCampaignCommand } from './commands/create-campaign/create-campaign.command';
import { JoinCampaignCommand } from './commands/join-campaign/join-campaign.command';
import { PublishCampaignCommand } from './commands/publish-campaign/publish-campaign.command';
import { StartRewardDistributionCommand } from './commands/start-reward-distribution/start-reward-distribution.command';
import { UpdateCampaignCommand } from './commands/update-campaign/update-campaign.command';
import { GetCampaignQuery } from './queries/get-campaign/get-campaign.query';
import { ListCampaignsQuery } from './queries/list-campaigns/list-campaigns.query';
import { ListMyParticipationsQuery } from './queries/list-my-participations/list-my-participations.query';
import { ListOpenCampaignsQuery } from './queries/list-open-campaigns/list-open-campaigns.query';

@Controller()
export class CampaignsRpcController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @MessagePattern(CampaignRpc.listOpen)
  async listOpen(@Payload() command: RpcCommand<unknown>): Promise<Page<CampaignView>> {
    const page = await validateDto(ListQueryDto, dataOf(command));
    return this.queryBus.execute(new ListOpenCampaignsQuery(command.actor.userId, page));
  }

  @MessagePattern(CampaignRpc.join)
  async join(@Payload() command: RpcCommand<unknown>): Promise<JoinResult> {
    return this.commandBus.execute(
      new JoinCampaignCommand(command.actor.userId, await idOf(dataOf(command).campaignId)),
    );
  }

  @MessagePattern(CampaignRpc.myParticipations)
  async mine(@Payload() command: RpcCommand<unknown>): Promise<Page<ParticipationView>> {
    const page = await validateDto(ListQueryDto, dataOf(command));
    return this.queryBus.execute(new ListMyParticipationsQuery(command.actor.userId, page));
  }

  @MessagePattern(CampaignRpc.list)
  async list(@Payload() command: RpcCommand<unknown>): Promise<Page<CampaignView>> {
    requireRole(command, 'admin');
    return this.queryBus.execute(
      new ListCampaignsQuery(await validateDto(CampaignsQueryDto, dataOf(command))),
    );
  }

  @MessagePattern(CampaignRpc.get)
  async get(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    return this.queryBus.execute(new GetCampaignQuery(await idOf(dataOf(command).campaignId)));
  }

  @MessagePattern(CampaignRpc.create)
  async create(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    return this.commandBus.execute(
      new CreateCampaignCommand(await validateDto(SaveCampaignDto, dataOf(command))),
    );
  }

  @MessagePattern(CampaignRpc.update)
  async update(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    const { campaignId, ...campaign } = dataOf(command);
    return this.commandBus.execute(
      new UpdateCampaignCommand(
        await idOf(campaignId),
        await validateDto(SaveCampaignDto, campaign),
      ),
    );
  }

  @MessagePattern(CampaignRpc.publish)
  async publish(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    return this.commandBus.execute(
      new PublishCampaignCommand(await idOf(dataOf(command).campaignId)),
    );
  }

  @MessagePattern(CampaignRpc.close)
  async close(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    return this.commandBus.execute(
      new CloseCampaignCommand(await idOf(dataOf(command).campaignId)),
    );
  }

  @MessagePattern(CampaignRpc.complete)
  async complete(@Payload() command: RpcCommand<unknown>): Promise<ParticipationView> {
    requireRole(command, 'admin');
    return this.commandBus.execute(
      new CompleteParticipationCommand(await idOf(dataOf(command).participationId)),
    );
  }

  @MessagePattern(CampaignRpc.distribute)
  async distribute(@Payload() command: RpcCommand<unknown>): Promise<AdminJobView> {
    requireRole(command, 'admin');
    return this.commandBus.execute(
      new StartRewardDistributionCommand(
        await idOf(dataOf(command).campaignId),
        command.actor,
        command.correlationId,
      ),
    );
  }
}
