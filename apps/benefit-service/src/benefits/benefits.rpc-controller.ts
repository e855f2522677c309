import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BenefitRpc,
  BenefitStatsQueryDto,
  BenefitsQueryDto,
  QuoteDto,
  SaveBenefitDto,
  UseBenefitDto,
} from '@member-system/contracts';
import type {
  BenefitStatsView,
  BenefitUsageView,
  BenefitView,
  EligibilityView,
  PriorityView,
  QuoteView,
  RpcCommand,
} from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { dataOf, idOf, requireRole, subjectOf } from '@member-system/shared/service';
import { MONEY_PATTERN } from '@member-system/contracts';
import { ManageBenefitsHandler } from './commands/manage-benefits.handler';
import { UseBenefitHandler } from './commands/use-benefit.handler';
import { BenefitStatsHandler } from './queries/benefit-stats.handler';
import { MemberBenefitsHandler } from './queries/member-benefits.handler';
import { QuoteHandler } from './queries/quote.handler';

@Controller()
export class BenefitsRpcController {
  constructor(
    private readonly memberBenefits: MemberBenefitsHandler,
    private readonly quotes: QuoteHandler,
    private readonly uses: UseBenefitHandler,
    private readonly statistics: BenefitStatsHandler,
    private readonly manage: ManageBenefitsHandler,
  ) {}

  @MessagePattern(BenefitRpc.listMine)
  listMine(@Payload() command: RpcCommand<unknown>): Promise<BenefitView[]> {
    return this.memberBenefits.available(subjectOf(command));
  }

  @MessagePattern(BenefitRpc.eligibility)
  async eligibility(@Payload() command: RpcCommand<unknown>): Promise<EligibilityView> {
    const { benefitId, orderAmount } = dataOf(command);
    if (
      orderAmount !== undefined &&
      (typeof orderAmount !== 'string' || !MONEY_PATTERN.test(orderAmount))
    ) {
      throw new ValidationFailedException({ orderAmount: ['must be an amount like "199.00"'] });
    }
    return this.memberBenefits.eligibility(subjectOf(command), await idOf(benefitId), orderAmount);
  }

  @MessagePattern(BenefitRpc.quote)
  async quote(@Payload() command: RpcCommand<unknown>): Promise<QuoteView> {
    const cart = await validateDto(QuoteDto, dataOf(command));
    return this.quotes.execute(subjectOf(command), cart);
  }

  @MessagePattern(BenefitRpc.use)
  async use(@Payload() command: RpcCommand<unknown>): Promise<BenefitUsageView> {
    const use = await validateDto(UseBenefitDto, dataOf(command));
    return this.uses.execute(subjectOf(command), use);
  }

  @MessagePattern(BenefitRpc.stats)
  async stats(@Payload() command: RpcCommand<unknown>): Promise<BenefitStatsView> {
    const { memberId: _member, ...query } = dataOf(command);
    return this.statistics.ofMember(
      subjectOf(command),
      await validateDto(BenefitStatsQueryDto, query),
    );
  }

  @MessagePattern(BenefitRpc.priority)
  async priority(@Payload() command: RpcCommand<unknown>): Promise<PriorityView> {
    requireRole(command, 'service', 'admin');
    return this.memberBenefits.priority(await idOf(dataOf(command).memberId));
  }

  @MessagePattern(BenefitRpc.list)
  async list(@Payload() command: RpcCommand<unknown>): Promise<BenefitView[]> {
    requireRole(command, 'admin');
    return this.manage.list(await validateDto(BenefitsQueryDto, dataOf(command)));
  }

  @MessagePattern(BenefitRpc.create)
  async create(@Payload() command: RpcCommand<unknown>): Promise<BenefitView> {
    requireRole(command, 'admin');
    return this.manage.create(await validateDto(SaveBenefitDto, dataOf(command)));
  }

  @MessagePattern(BenefitRpc.update)
  async update(@Payload() command: RpcCommand<unknown>): Promise<BenefitView> {
    requireRole(command, 'admin');
    const { benefitId, ...definition } = dataOf(command);
    return this.manage.update(await idOf(benefitId), await validateDto(SaveBenefitDto, definition));
  }

  @MessagePattern(BenefitRpc.remove)
  async remove(@Payload() command: RpcCommand<unknown>): Promise<{ removed: true }> {
    requireRole(command, 'admin');
    await this.manage.remove(await idOf(dataOf(command).benefitId));
    return { removed: true };
  }

  @MessagePattern(BenefitRpc.benefitStats)
  async benefitStats(@Payload() command: RpcCommand<unknown>): Promise<BenefitStatsView> {
    requireRole(command, 'admin');
    const { benefitId, ...query } = dataOf(command);
    return this.statistics.ofBenefit(
      await idOf(benefitId),
      await validateDto(BenefitStatsQueryDto, query),
    );
  }
}
