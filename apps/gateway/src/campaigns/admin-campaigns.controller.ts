import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AdminJobView,
  CampaignPage,
  CampaignRpc,
  CampaignView,
  CampaignsQueryDto,
  IdParam,
  ParticipationView,
  SaveCampaignDto,
} from '@member-system/contracts';
import type { Actor, Page } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission } from '@member-system/shared/security';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';
import { AcceptedJobRoute } from '../jobs/accepted-job';

const idOf = async (raw: string): Promise<string> => (await validateDto(IdParam, { id: raw })).id;

/** Admins run campaigns: drafts, publishing, closing, completing and rewarding. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class AdminCampaignsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('campaigns')
  @RequirePermission('campaigns:write')
  @ApiOperation({ summary: 'Campaigns, newest first, by status, in cursor pages' })
  @ApiOkResponse({ type: CampaignPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: CampaignsQueryDto,
  ): Promise<Page<CampaignView>> {
    const filters = await validateDto(CampaignsQueryDto, query ?? {});
    return this.rpc.send('event', CampaignRpc.list, commandOf(actor, filters));
  }

  @Get('campaigns/:campaignId')
  @RequirePermission('campaigns:write')
  @ApiOperation({ summary: 'One campaign' })
  @ApiOkResponse({ type: CampaignView })
  async get(@CurrentActor() actor: Actor, @Param('campaignId') raw: string): Promise<CampaignView> {
    return this.rpc.send(
      'event',
      CampaignRpc.get,
      commandOf(actor, { campaignId: await idOf(raw) }),
    );
  }

  @Post('campaigns')
  @WriteRoute()
  @RequirePermission('campaigns:write')
  @ApiOperation({ summary: 'Create a campaign as a draft' })
  @ApiBody({ type: SaveCampaignDto })
  @ApiCreatedResponse({ type: CampaignView })
  async create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<CampaignView> {
    const campaign = await validateDto(SaveCampaignDto, body);
    return this.rpc.send('event', CampaignRpc.create, commandOf(actor, campaign));
  }

  @Put('campaigns/:campaignId')
  @WriteRoute()
  @RequirePermission('campaigns:write')
  @ApiOperation({ summary: 'Edit a draft' })
  @ApiBody({ type: SaveCampaignDto })
  @ApiOkResponse({ type: CampaignView })
  async update(
    @CurrentActor() actor: Actor,
    @Param('campaignId') raw: string,
    @Body() body: unknown,
  ): Promise<CampaignView> {
    const campaign = await validateDto(SaveCampaignDto, body);
    return this.rpc.send(
      'event',
      CampaignRpc.update,
      commandOf(actor, { ...campaign, campaignId: await idOf(raw) }),
    );
  }

  @Post('campaigns/:campaignId/publish')
  @WriteRoute()
  @RequirePermission('campaigns:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a draft' })
  @ApiOkResponse({ type: CampaignView })
  async publish(
    @CurrentActor() actor: Actor,
    @Param('campaignId') raw: string,
  ): Promise<CampaignView> {
    return this.rpc.send(
      'event',
      CampaignRpc.publish,
      commandOf(actor, { campaignId: await idOf(raw) }),
    );
  }

  @Post('campaigns/:campaignId/close')
  @WriteRoute()
  @RequirePermission('campaigns:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a published campaign before its end' })
  @ApiOkResponse({ type: CampaignView })
  async close(
    @CurrentActor() actor: Actor,
    @Param('campaignId') raw: string,
  ): Promise<CampaignView> {
    return this.rpc.send(
      'event',
      CampaignRpc.close,
      commandOf(actor, { campaignId: await idOf(raw) }),
    );
  }

  @Post('campaigns/:campaignId/distribute-rewards')
  @AcceptedJobRoute()
  @RequirePermission('campaigns:write')
  @ApiOperation({
    summary:
      'Start rewarding every completed participation once, in batches, as a job; safe to run again (it does only what is left)',
  })
  async distribute(
    @CurrentActor() actor: Actor,
    @Param('campaignId') raw: string,
  ): Promise<AdminJobView> {
    return this.rpc.send(
      'event',
      CampaignRpc.distribute,
      commandOf(actor, { campaignId: await idOf(raw) }),
    );
  }

  @Post('participations/:participationId/complete')
  @WriteRoute()
  @RequirePermission('campaigns:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a participation completed (once)' })
  @ApiOkResponse({ type: ParticipationView })
  async complete(
    @CurrentActor() actor: Actor,
    @Param('participationId') raw: string,
  ): Promise<ParticipationView> {
    return this.rpc.send(
      'event',
      CampaignRpc.complete,
      commandOf(actor, { participationId: await idOf(raw) }),
    );
  }
}
