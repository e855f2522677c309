import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
  BalanceView,
  CheckInResult,
  ExpiringLotPage,
  ExpiringQueryDto,
  HoldView,
  IdParam,
  PointRpc,
  PointTransactionPage,
  PointsResult,
  ReserveHoldDto,
  TransactionsQueryDto,
  UsePointsDto,
} from '@member-system/contracts';
import type { Actor, ExpiringLotView, Page, PointTransactionView } from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, Roles } from '@member-system/shared/security';
import { checkMemberIdFor } from '../infra/requests';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';

@ApiTags('points')
@ApiBearerAuth()
@Roles('member')
@Controller('points')
export class PointsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('me/balance')
  @ApiOperation({
    summary:
      "The caller's points: available, frozen, pending, held, debt, expiring soon, lifetime totals",
  })
  @ApiResponse({ status: 404, description: 'POINT_ACCOUNT_NOT_FOUND' })
  @ApiOkResponse({ type: BalanceView })
  balance(@CurrentActor() actor: Actor): Promise<BalanceView> {
    return this.rpc.send<BalanceView>('point', PointRpc.getBalance, commandOf(actor, {}));
  }

  @Get('me/transactions')
  @ApiOperation({
    summary: "The caller's points history, newest first; filters type, from, to; cursor pages",
  })
  @ApiOkResponse({ type: PointTransactionPage })
  async transactions(
    @CurrentActor() actor: Actor,
    @Query() query: TransactionsQueryDto,
  ): Promise<Page<PointTransactionView>> {
    const filters = await validateDto(TransactionsQueryDto, query ?? {});
    return this.rpc.send('point', PointRpc.transactions, commandOf(actor, filters));
  }

  @Get('me/expiring')
  @ApiOperation({
    summary: "The caller's points that expire within `days` (default 30), soonest first",
  })
  @ApiOkResponse({ type: ExpiringLotPage })
  async expiring(
    @CurrentActor() actor: Actor,
    @Query() query: ExpiringQueryDto,
  ): Promise<Page<ExpiringLotView>> {
    const window = await validateDto(ExpiringQueryDto, query ?? {});
    return this.rpc.send('point', PointRpc.expiring, commandOf(actor, window));
  }

  @Post('me/check-in')
  @WriteRoute()
  @HttpCode(201)
  @ApiOperation({ summary: 'Daily check-in: 5 points, every 7th consecutive day 20' })
  @ApiResponse({ status: 409, description: 'ALREADY_CHECKED_IN' })
  @ApiCreatedResponse({ type: CheckInResult })
  checkIn(@CurrentActor() actor: Actor): Promise<CheckInResult> {
    return this.rpc.send('point', PointRpc.checkIn, commandOf(actor, {}));
  }

  @Post('me/use')
  @WriteRoute()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Spend points on an order, earliest-expiring first; one spend per order',
  })
  @ApiBody({ type: UsePointsDto })
  @ApiResponse({ status: 422, description: 'POINTS_INSUFFICIENT' })
  @ApiOkResponse({ type: PointsResult })
  async use(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<PointsResult> {
    const use = await validateDto(UsePointsDto, body);
    return this.rpc.send('point', PointRpc.use, commandOf(actor, use));
  }

  @Post('me/holds')
  @WriteRoute()
  @HttpCode(201)
  @Roles('member', 'service')
  @ApiOperation({
    summary:
      'Reserve points for an order at checkout; released by itself after ttlSeconds (15 min)',
  })
  @ApiBody({ type: ReserveHoldDto })
  @ApiResponse({ status: 422, description: 'POINTS_INSUFFICIENT' })
  @ApiCreatedResponse({ type: HoldView })
  async reserve(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<HoldView> {
    const { memberId, ...fields } = objectOf(body);
    const member = await memberFor(actor, memberId);
    const hold = await validateDto(ReserveHoldDto, fields);
    return this.rpc.send('point', PointRpc.reserveHold, commandOf(actor, { ...hold, ...member }));
  }

  @Post('me/holds/:holdId/capture')
  @WriteRoute()
  @HttpCode(200)
  @Roles('member', 'service')
  @ApiOperation({ summary: 'Spend the held points on their order (at payment)' })
  @ApiResponse({ status: 409, description: 'HOLD_NOT_RESERVED' })
  @ApiOkResponse({ type: PointsResult })
  async capture(
    @CurrentActor() actor: Actor,
    @Param('holdId') holdId: string,
    @Body() body: unknown,
  ): Promise<PointsResult> {
    const member = await memberFor(actor, objectOf(body).memberId);
    return this.rpc.send('point', PointRpc.captureHold, commandOf(actor, { holdId, ...member }));
  }

  @Post('me/holds/:holdId/release')
  @WriteRoute()
  @HttpCode(200)
  @Roles('member', 'service')
  @ApiOperation({ summary: 'Give the held points back' })
  @ApiOkResponse({ type: HoldView })
  async release(
    @CurrentActor() actor: Actor,
    @Param('holdId') holdId: string,
    @Body() body: unknown,
  ): Promise<HoldView> {
    const member = await memberFor(actor, objectOf(body).memberId);
    return this.rpc.send('point', PointRpc.releaseHold, commandOf(actor, { holdId, ...member }));
  }
}

/** A JSON body as a record; an absent body is empty. */
function objectOf(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationFailedException({ body: ['must be a JSON object'] });
  }
  return body as Record<string, unknown>;
}

/**
 * docs/api/contract.md: a service token (the cart or order system) names the member (`memberId` in the body);
 * a member always means themselves.
 */
async function memberFor(actor: Actor, memberId: unknown): Promise<{ memberId?: string }> {
  checkMemberIdFor(actor, memberId as string | undefined);
  if (memberId === undefined) return {};
  return { memberId: (await validateDto(IdParam, { id: memberId })).id };
}
