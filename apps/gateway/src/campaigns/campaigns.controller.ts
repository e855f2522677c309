import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CampaignPage,
  CampaignRpc,
  IdParam,
  JoinResult,
  ListQueryDto,
  ParticipationPage,
} from '@member-system/contracts';
import type { Actor, CampaignView, Page, ParticipationView } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, Roles } from '@member-system/shared/security';
import { queryOf } from '../infra/requests';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';

/** Member campaigns, as a member sees them. */
@ApiTags('campaigns')
@ApiBearerAuth()
@Roles('member')
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Campaigns open to the caller now' })
  @ApiOkResponse({ type: CampaignPage })
  async open(
    @CurrentActor() actor: Actor,
    @Query() query: ListQueryDto,
  ): Promise<Page<CampaignView>> {
    const page = await validateDto(ListQueryDto, queryOf(query));
    return this.rpc.send('event', CampaignRpc.listOpen, commandOf(actor, page));
  }

  @Get('me/participations')
  @ApiOperation({ summary: "The caller's participations, newest first" })
  @ApiOkResponse({ type: ParticipationPage })
  async participations(
    @CurrentActor() actor: Actor,
    @Query() query: ListQueryDto,
  ): Promise<Page<ParticipationView>> {
    const page = await validateDto(ListQueryDto, queryOf(query));
    return this.rpc.send('event', CampaignRpc.myParticipations, commandOf(actor, page));
  }

  @Post(':campaignId/join')
  @WriteRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Join a campaign' })
  @ApiResponse({ status: 409, description: 'CAMPAIGN_FULL, ALREADY_JOINED, CAMPAIGN_NOT_OPEN' })
  @ApiResponse({ status: 403, description: 'CAMPAIGN_NOT_ELIGIBLE' })
  @ApiOkResponse({ type: JoinResult })
  async join(
    @CurrentActor() actor: Actor,
    @Param('campaignId') campaignId: string,
  ): Promise<JoinResult> {
    const { id } = await validateDto(IdParam, { id: campaignId });
    return this.rpc.send('event', CampaignRpc.join, commandOf(actor, { campaignId: id }));
  }
}
