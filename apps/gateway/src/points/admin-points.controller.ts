import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AdjustPointsDto,
  BalanceView,
  EARN_BATCH_MAX_ITEMS,
  EarnBatchDto,
  EarnBatchResult,
  FreezePointsDto,
  FreezeResult,
  IdParam,
  PointApprovalView,
  PointRpc,
  PointTransactionPage,
  PointsResult,
  TransactionsQueryDto,
} from '@member-system/contracts';
import type { Actor, Page, PointTransactionView } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission } from '@member-system/shared/security';
import { checkedIdempotencyKey } from '../infra/idempotency-key';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';
import { AdjustmentWriteRoute } from './adjustment-write-route';

async function memberIdOf(raw: string): Promise<string> {
  return (await validateDto(IdParam, { id: raw })).id;
}

/** Any member's points, for admins. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/members/:memberId/points')
export class AdminPointsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('balance')
  @RequirePermission('members:read')
  @ApiOperation({ summary: "A member's points balance" })
  @ApiOkResponse({ type: BalanceView })
  async balance(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
  ): Promise<BalanceView> {
    return this.rpc.send(
      'point',
      PointRpc.getBalance,
      commandOf(actor, { memberId: await memberIdOf(memberId) }),
    );
  }

  @Get('transactions')
  @RequirePermission('members:read')
  @ApiOperation({ summary: "A member's points history, newest first" })
  @ApiOkResponse({ type: PointTransactionPage })
  async transactions(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
    @Query() query: TransactionsQueryDto,
  ): Promise<Page<PointTransactionView>> {
    const filters = await validateDto(TransactionsQueryDto, query ?? {});
    return this.rpc.send(
      'point',
      PointRpc.transactions,
      commandOf(actor, { memberId: await memberIdOf(memberId), ...filters }),
    );
  }

  @Post('adjust')
  @AdjustmentWriteRoute()
  @HttpCode(200)
  @RequirePermission('points:adjust')
  @ApiOperation({
    summary:
      'Credit or deduct points with a reason code; from the approval threshold, request it (202); send Idempotency-Key to make retries safe',
  })
  @ApiBody({ type: AdjustPointsDto })
  @ApiOkResponse({ type: PointsResult, description: 'Adjusted' })
  @ApiAcceptedResponse({
    type: PointApprovalView,
    description:
      'At or above ADJUSTMENT_APPROVAL_THRESHOLD points: nothing adjusted yet, a pending approval request',
  })
  async adjust(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<PointsResult | PointApprovalView> {
    const adjustment = await validateDto(AdjustPointsDto, body);
    return this.rpc.send(
      'point',
      PointRpc.adjust,
      commandOf(
        actor,
        { memberId: await memberIdOf(memberId), ...adjustment },
        checkedIdempotencyKey(idempotencyKey),
      ),
    );
  }

  @Post('freeze')
  @WriteRoute()
  @HttpCode(200)
  @RequirePermission('points:adjust')
  @ApiOperation({
    summary:
      'Freeze points (earliest-expiring first) until an admin releases them; send Idempotency-Key to make retries safe',
  })
  @ApiBody({ type: FreezePointsDto })
  @ApiOkResponse({ type: FreezeResult })
  async freeze(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<FreezeResult> {
    return this.sendFreeze(PointRpc.freeze, actor, memberId, body, idempotencyKey);
  }

  @Post('unfreeze')
  @WriteRoute()
  @HttpCode(200)
  @RequirePermission('points:adjust')
  @ApiOperation({
    summary:
      'Release points an admin froze (oldest freeze first); refund freezes settle with their refund. 422 FROZEN_POINTS_INSUFFICIENT when fewer are frozen',
  })
  @ApiBody({ type: FreezePointsDto })
  @ApiOkResponse({ type: FreezeResult })
  async unfreeze(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<FreezeResult> {
    return this.sendFreeze(PointRpc.unfreeze, actor, memberId, body, idempotencyKey);
  }

  private async sendFreeze(
    pattern: string,
    actor: Actor,
    memberId: string,
    body: unknown,
    idempotencyKey: string | undefined,
  ): Promise<FreezeResult> {
    const request = await validateDto(FreezePointsDto, body);
    return this.rpc.send(
      'point',
      pattern,
      commandOf(
        actor,
        { memberId: await memberIdOf(memberId), ...request },
        checkedIdempotencyKey(idempotencyKey),
      ),
    );
  }
}

/** Batch credits: thousands of items in one call (the route accepts bodies up to 2 MiB). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/points')
export class AdminPointsBatchController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('earn-batch')
  @WriteRoute()
  @HttpCode(200)
  @RequirePermission('points:adjust')
  @ApiOperation({
    summary: `Credit up to ${EARN_BATCH_MAX_ITEMS} items; each (source, sourceId) earns once`,
  })
  @ApiBody({ type: EarnBatchDto })
  @ApiOkResponse({ type: EarnBatchResult })
  async earnBatch(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<EarnBatchResult> {
    const batch = await validateDto(EarnBatchDto, body);
    // A full batch takes about half a second on the benchmark machine (docs/performance): give
    // it far more than the usual few seconds, for a busy database.
    return this.rpc.send('point', PointRpc.earnBatch, commandOf(actor, batch), {
      timeoutMs: 30_000,
    });
  }
}

export const EARN_BATCH_ROUTE = '/api/v1/admin/points/earn-batch';
export const EARN_BATCH_BODY_LIMIT = 2 * 1024 * 1024;
