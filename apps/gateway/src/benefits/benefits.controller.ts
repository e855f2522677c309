import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  BenefitPage,
  BenefitRpc,
  BenefitStatsQueryDto,
  BenefitStatsView,
  BenefitUsageView,
  BenefitView,
  EligibilityView,
  ListQueryDto,
  QuoteDto,
  QuoteView,
  UseBenefitDto,
} from '@member-system/contracts';
import type { Actor, Page } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, Roles } from '@member-system/shared/security';
import { checkedIdempotencyKey } from '../infra/idempotency-key';
import { commandOf } from '../infra/rpc-command';
import { EligibilityQueryDto, checkMemberIdFor, pathIdOf, queryOf } from '../infra/requests';
import { WriteRoute } from '../infra/write-route';

/** The member's own benefits, and the checkout calls members and services (naming the member) make. */
@ApiTags('benefits')
@ApiBearerAuth()
@Controller('benefits')
export class BenefitsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('me')
  @Roles('member')
  @ApiOperation({ summary: "The benefits of the caller's level" })
  @ApiOkResponse({ type: BenefitPage })
  async listMine(
    @CurrentActor() actor: Actor,
    @Query() query: ListQueryDto,
  ): Promise<Page<BenefitView>> {
    const page = await validateDto(ListQueryDto, queryOf(query));
    return this.rpc.send('benefit', BenefitRpc.listMine, commandOf(actor, page));
  }

  @Get('me/stats')
  @Roles('member')
  @ApiOperation({ summary: "The caller's uses and amounts per benefit and period (default month)" })
  @ApiOkResponse({ type: BenefitStatsView })
  async stats(
    @CurrentActor() actor: Actor,
    @Query() query: BenefitStatsQueryDto,
  ): Promise<BenefitStatsView> {
    const filters = await validateDto(BenefitStatsQueryDto, queryOf(query));
    return this.rpc.send('benefit', BenefitRpc.stats, commandOf(actor, filters));
  }

  @Get('me/:benefitId/eligibility')
  @Roles('member')
  @ApiOperation({
    summary: 'Whether the caller can use a benefit now (for an order amount), and why not',
  })
  @ApiResponse({ status: 404, description: 'BENEFIT_NOT_FOUND' })
  @ApiOkResponse({ type: EligibilityView })
  async eligibility(
    @CurrentActor() actor: Actor,
    @Param('benefitId') benefitId: string,
    @Query() query: EligibilityQueryDto,
  ): Promise<EligibilityView> {
    const id = pathIdOf('benefitId', benefitId);
    const order = await validateDto(EligibilityQueryDto, queryOf(query));
    return this.rpc.send(
      'benefit',
      BenefitRpc.eligibility,
      commandOf(actor, { benefitId: id, ...order }),
    );
  }

  @Post('quote')
  @HttpCode(200)
  @Roles('member', 'service')
  @ApiOperation({
    summary:
      "Price an order with the member's benefits: discount, free shipping, points multiplier; service tokens send memberId",
  })
  @ApiBody({ type: QuoteDto })
  @ApiOkResponse({ type: QuoteView })
  async quote(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<QuoteView> {
    const quote = await validateDto(QuoteDto, body);
    checkMemberIdFor(actor, quote.memberId);
    return this.rpc.send('benefit', BenefitRpc.quote, commandOf(actor, quote));
  }

  @Post('use')
  @WriteRoute()
  @HttpCode(200)
  @Roles('member', 'service')
  @ApiOperation({
    summary:
      'Record the use of a benefit at checkout, once per order and benefit; service tokens send memberId',
  })
  @ApiBody({ type: UseBenefitDto })
  @ApiResponse({ status: 404, description: 'BENEFIT_NOT_FOUND' })
  @ApiResponse({ status: 422, description: 'BENEFIT_NOT_ELIGIBLE, BENEFIT_QUOTA_EXCEEDED' })
  @ApiOkResponse({ type: BenefitUsageView })
  async use(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<BenefitUsageView> {
    const use = await validateDto(UseBenefitDto, body);
    checkMemberIdFor(actor, use.memberId);
    return this.rpc.send(
      'benefit',
      BenefitRpc.use,
      commandOf(actor, use, checkedIdempotencyKey(idempotencyKey)),
    );
  }
}
