import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CampaignRpc,
  CampaignsQueryDto,
  ErrorCode,
  SaveCampaignDto,
} from '@member-system/contracts';
import type {
  CampaignView,
  DistributionResult,
  JoinResult,
  Page,
  ParticipationView,
  RpcCommand,
} from '@member-system/contracts';
import { AppException, validateDto } from '@member-system/shared/errors';
import {
  Clock,
  MemberLevelProjection,
  dataOf,
  idOf,
  requireRole,
} from '@member-system/shared/service';
import { DataSource } from 'typeorm';
import { CampaignCatalog } from './campaign-catalog';
import { CompleteParticipationHandler } from './commands/complete-participation.handler';
import { DistributeRewardsHandler } from './commands/distribute-rewards.handler';
import { JoinCampaignHandler } from './commands/join-campaign.handler';
import { ManageCampaignsHandler } from './commands/manage-campaigns.handler';
import { CampaignQueries } from './queries/campaign-queries';
import { ParticipationQueries } from './queries/participation-queries';

@Controller()
export class CampaignsRpcController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly members: MemberLevelProjection,
    private readonly catalog: CampaignCatalog,
    private readonly queries: CampaignQueries,
    private readonly participations: ParticipationQueries,
    private readonly manage: ManageCampaignsHandler,
    private readonly joins: JoinCampaignHandler,
    private readonly completions: CompleteParticipationHandler,
    private readonly distributions: DistributeRewardsHandler,
    private readonly clock: Clock,
  ) {}

  @MessagePattern(CampaignRpc.listOpen)
  listOpen(@Payload() command: RpcCommand<unknown>): Promise<CampaignView[]> {
    return this.queries.openTo(command.actor.userId);
  }

  @MessagePattern(CampaignRpc.join)
  async join(@Payload() command: RpcCommand<unknown>): Promise<JoinResult> {
    return this.joins.execute(command.actor.userId, await idOf(dataOf(command).campaignId));
  }

  @MessagePattern(CampaignRpc.myParticipations)
  async mine(@Payload() command: RpcCommand<unknown>): Promise<ParticipationView[]> {
    const member = await this.members.of(this.dataSource.manager, {
      userId: command.actor.userId,
    });
    if (!member) throw new AppException(ErrorCode.MemberNotFound, 'Register as a member first');
    return this.participations.ofMember(member.memberId);
  }

  @MessagePattern(CampaignRpc.list)
  async list(@Payload() command: RpcCommand<unknown>): Promise<Page<CampaignView>> {
    requireRole(command, 'admin');
    return this.queries.list(await validateDto(CampaignsQueryDto, dataOf(command)));
  }

  @MessagePattern(CampaignRpc.get)
  async get(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    return this.catalog.byId(await idOf(dataOf(command).campaignId));
  }

  @MessagePattern(CampaignRpc.create)
  async create(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    return this.manage.create(await validateDto(SaveCampaignDto, dataOf(command)));
  }

  @MessagePattern(CampaignRpc.update)
  async update(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    const { campaignId, ...campaign } = dataOf(command);
    return this.manage.update(await idOf(campaignId), await validateDto(SaveCampaignDto, campaign));
  }

  @MessagePattern(CampaignRpc.publish)
  async publish(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    return this.manage.publish(await idOf(dataOf(command).campaignId), this.clock.now());
  }

  @MessagePattern(CampaignRpc.close)
  async close(@Payload() command: RpcCommand<unknown>): Promise<CampaignView> {
    requireRole(command, 'admin');
    return this.manage.close(await idOf(dataOf(command).campaignId));
  }

  @MessagePattern(CampaignRpc.complete)
  async complete(@Payload() command: RpcCommand<unknown>): Promise<ParticipationView> {
    requireRole(command, 'admin');
    return this.completions.byAdmin(await idOf(dataOf(command).participationId));
  }

  @MessagePattern(CampaignRpc.distribute)
  async distribute(@Payload() command: RpcCommand<unknown>): Promise<DistributionResult> {
    requireRole(command, 'admin');
    return this.distributions.execute(await idOf(dataOf(command).campaignId));
  }
}
