import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  IdParam,
  PointApprovalPage,
  PointApprovalView,
  PointApprovalsQueryDto,
  PointRpc,
  ReviewPointApprovalDto,
} from '@member-system/contracts';
import type { Actor, Page } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission } from '@member-system/shared/security';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';

/** Maker–checker of large point adjustments: the requests, and a second admin's decision. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/point-approvals')
export class AdminPointApprovalsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @RequirePermission('points:adjust', 'points:approve')
  @ApiOperation({ summary: 'Adjustment approval requests, newest first' })
  @ApiOkResponse({ type: PointApprovalPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: PointApprovalsQueryDto,
  ): Promise<Page<PointApprovalView>> {
    const filters = await validateDto(PointApprovalsQueryDto, query ?? {});
    return this.rpc.send('point', PointRpc.listApprovals, commandOf(actor, filters));
  }

  @Get(':id')
  @RequirePermission('points:adjust', 'points:approve')
  @ApiOperation({ summary: 'One adjustment approval request' })
  @ApiOkResponse({ type: PointApprovalView })
  @ApiResponse({ status: 404, description: 'POINT_APPROVAL_NOT_FOUND' })
  async get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<PointApprovalView> {
    return this.rpc.send(
      'point',
      PointRpc.getApproval,
      commandOf(actor, await validateDto(IdParam, { id })),
    );
  }

  @Post(':id/approve')
  @WriteRoute()
  @HttpCode(200)
  @RequirePermission('points:approve')
  @ApiOperation({ summary: 'Approve a pending adjustment: its points are adjusted now, once' })
  @ApiBody({ type: ReviewPointApprovalDto, required: false })
  @ApiOkResponse({ type: PointApprovalView })
  @ApiResponse({ status: 404, description: 'POINT_APPROVAL_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'APPROVAL_NOT_PENDING' })
  approve(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<PointApprovalView> {
    return this.review(PointRpc.approve, actor, id, body);
  }

  @Post(':id/reject')
  @WriteRoute()
  @HttpCode(200)
  @RequirePermission('points:approve')
  @ApiOperation({ summary: 'Reject a pending adjustment: nothing is adjusted' })
  @ApiBody({ type: ReviewPointApprovalDto, required: false })
  @ApiOkResponse({ type: PointApprovalView })
  @ApiResponse({ status: 404, description: 'POINT_APPROVAL_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'APPROVAL_NOT_PENDING' })
  reject(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<PointApprovalView> {
    return this.review(PointRpc.reject, actor, id, body);
  }

  private async review(
    pattern: string,
    actor: Actor,
    id: string,
    body: unknown,
  ): Promise<PointApprovalView> {
    const { id: checked } = await validateDto(IdParam, { id });
    const review = await validateDto(ReviewPointApprovalDto, body ?? {});
    return this.rpc.send('point', pattern, commandOf(actor, { id: checked, ...review }));
  }
}
