import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  BENEFIT_TYPES,
  BenefitPage,
  BenefitRpc,
  BenefitStatsQueryDto,
  BenefitStatsView,
  BenefitView,
  BenefitsQueryDto,
  SaveBenefitDto,
} from '@member-system/contracts';
import type { Actor, Page } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission } from '@member-system/shared/security';
import { commandOf } from '../infra/rpc-command';
import { pathIdOf, queryOf } from '../infra/requests';
import { WriteRoute } from '../infra/write-route';

/** The benefits of each level, for admins with benefits:write. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/benefits')
export class AdminBenefitsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @RequirePermission('benefits:write')
  @ApiOperation({ summary: 'The benefits, optionally of one level and of one type' })
  @ApiQuery({
    name: 'type',
    required: false,
    description: `A registered type: ${BENEFIT_TYPES.join(', ')}`,
  })
  @ApiOkResponse({ type: BenefitPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: BenefitsQueryDto,
  ): Promise<Page<BenefitView>> {
    const filters = await validateDto(BenefitsQueryDto, queryOf(query));
    return this.rpc.send('benefit', BenefitRpc.list, commandOf(actor, filters));
  }

  @Post()
  @WriteRoute()
  @HttpCode(201)
  @RequirePermission('benefits:write')
  @ApiOperation({ summary: 'Add a benefit to a level; its members see it at once' })
  @ApiBody({ type: SaveBenefitDto })
  @ApiCreatedResponse({ type: BenefitView })
  async create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<BenefitView> {
    const benefit = await validateDto(SaveBenefitDto, body);
    return this.rpc.send('benefit', BenefitRpc.create, commandOf(actor, benefit));
  }

  @Put(':benefitId')
  @WriteRoute()
  @RequirePermission('benefits:write')
  @ApiOperation({ summary: 'Replace a benefit (every field of the body)' })
  @ApiBody({ type: SaveBenefitDto })
  @ApiResponse({ status: 404, description: 'BENEFIT_NOT_FOUND' })
  @ApiOkResponse({ type: BenefitView })
  async update(
    @CurrentActor() actor: Actor,
    @Param('benefitId') benefitId: string,
    @Body() body: unknown,
  ): Promise<BenefitView> {
    const id = pathIdOf('benefitId', benefitId);
    const benefit = await validateDto(SaveBenefitDto, body);
    return this.rpc.send(
      'benefit',
      BenefitRpc.update,
      commandOf(actor, { benefitId: id, ...benefit }),
    );
  }

  @Delete(':benefitId')
  @WriteRoute()
  @HttpCode(204)
  @RequirePermission('benefits:write')
  @ApiOperation({ summary: 'Remove a benefit; its level no longer has it' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiResponse({ status: 404, description: 'BENEFIT_NOT_FOUND' })
  async remove(@CurrentActor() actor: Actor, @Param('benefitId') benefitId: string): Promise<void> {
    const id = pathIdOf('benefitId', benefitId);
    await this.rpc.send('benefit', BenefitRpc.remove, commandOf(actor, { benefitId: id }));
  }

  @Get(':benefitId/stats')
  @RequirePermission('benefits:write')
  @ApiOperation({ summary: "A benefit's uses and amounts per period (default month), all members" })
  @ApiResponse({ status: 404, description: 'BENEFIT_NOT_FOUND' })
  @ApiOkResponse({ type: BenefitStatsView })
  async stats(
    @CurrentActor() actor: Actor,
    @Param('benefitId') benefitId: string,
    @Query() query: BenefitStatsQueryDto,
  ): Promise<BenefitStatsView> {
    const id = pathIdOf('benefitId', benefitId);
    const filters = await validateDto(BenefitStatsQueryDto, queryOf(query));
    return this.rpc.send(
      'benefit',
      BenefitRpc.benefitStats,
      commandOf(actor, { benefitId: id, ...filters }),
    );
  }
}
