import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateLevelDto,
  IdParam,
  LevelPage,
  LevelProgressView,
  LevelRpc,
  LevelView,
  ListQueryDto,
  MemberView,
  SetMemberLevelDto,
  UpdateLevelDto,
} from '@member-system/contracts';
import type { Actor, Page } from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission, Roles } from '@member-system/shared/security';
import { queryOf } from '../infra/requests';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';

function levelIdOf(raw: string): number {
  if (!/^[1-9]\d{0,3}$/.test(raw))
    throw new ValidationFailedException({ levelId: ['must be a level id'] });
  return Number(raw);
}

@ApiTags('levels')
@ApiBearerAuth()
@Controller()
export class LevelsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('levels')
  @Roles('member', 'admin', 'service')
  @ApiOperation({
    summary: 'The level ladder: each level and the total spent from which members hold it',
  })
  @ApiOkResponse({ type: LevelPage })
  async list(@CurrentActor() actor: Actor, @Query() query: ListQueryDto): Promise<Page<LevelView>> {
    const page = await validateDto(ListQueryDto, queryOf(query));
    return this.rpc.send('member', LevelRpc.list, commandOf(actor, page));
  }

  @Get('members/me/level-progress')
  @Roles('member')
  @ApiOperation({ summary: "The caller's level, the next one, and the spend still needed" })
  @ApiResponse({ status: 404, description: 'MEMBER_NOT_FOUND' })
  @ApiOkResponse({ type: LevelProgressView })
  progress(@CurrentActor() actor: Actor): Promise<LevelProgressView> {
    return this.rpc.send('member', LevelRpc.progress, commandOf(actor, {}));
  }

  @Post('admin/levels')
  @WriteRoute()
  @RequirePermission('levels:write')
  @ApiOperation({ summary: 'Add a level; members are re-evaluated in the background' })
  @ApiBody({ type: CreateLevelDto })
  @ApiCreatedResponse({ type: LevelView })
  async create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<LevelView> {
    const level = await validateDto(CreateLevelDto, body);
    return this.rpc.send('member', LevelRpc.create, commandOf(actor, level));
  }

  @Put('admin/levels/:levelId')
  @WriteRoute()
  @RequirePermission('levels:write')
  @ApiOperation({
    summary: 'Rename a level or move its threshold; members are re-evaluated in the background',
  })
  @ApiBody({ type: UpdateLevelDto })
  @ApiOkResponse({ type: LevelView })
  async update(
    @CurrentActor() actor: Actor,
    @Param('levelId') levelId: string,
    @Body() body: unknown,
  ): Promise<LevelView> {
    const id = levelIdOf(levelId);
    const changes = await validateDto(UpdateLevelDto, body);
    return this.rpc.send('member', LevelRpc.update, commandOf(actor, { id, ...changes }));
  }

  @Put('admin/members/:memberId/level')
  @WriteRoute()
  @RequirePermission('members:write')
  @ApiOperation({
    summary: "Set a member's level by hand, with a reason; it becomes the member's floor",
  })
  @ApiBody({ type: SetMemberLevelDto })
  @ApiOkResponse({ type: MemberView })
  async setMemberLevel(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
    @Body() body: unknown,
  ): Promise<MemberView> {
    const { id } = await validateDto(IdParam, { id: memberId });
    const change = await validateDto(SetMemberLevelDto, body);
    return this.rpc.send(
      'member',
      LevelRpc.setMemberLevel,
      commandOf(actor, { memberId: id, ...change }),
    );
  }
}
