import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BenefitRpc,
  BenefitStatsQueryDto,
  BenefitsQueryDto,
  ListQueryDto,
  QuoteDto,
  SaveBenefitDto,
  UseBenefitDto,
} from '@member-system/contracts';
import type {
  BenefitStatsView,
  BenefitUsageView,
  BenefitView,
  EligibilityView,
  Page,
  PriorityView,
  QuoteView,
  RpcCommand,
} from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { dataOf, idOf, requireRole, subjectOf } from '@member-system/shared/service';
import { MONEY_PATTERN } from '@member-system/contracts';
import { CreateBenefitCommand } from './commands/create-benefit/create-benefit.command';
import { RemoveBenefitCommand } from './commands/remove-benefit/remove-benefit.command';
import { UpdateBenefitCommand } from './commands/update-benefit/update-benefit.command';
import { UseBenefitCommand } from './commands/use-benefit/use-benefit.command';
import { CheckBenefitEligibilityQuery } from './queries/check-benefit-eligibility/check-benefit-eligibility.query';
import { GetBenefitQuery } from './queries/get-benefit/get-benefit.query';
import { GetBenefitStatsQuery } from './queries/get-benefit-stats/get-benefit-stats.query';
import { GetMyBenefitStatsQuery } from './queries/get-my-benefit-stats/get-my-benefit-stats.query';
import { GetPriorityQuery } from './queries/get-priority/get-priority.query';
import { ListBenefitsQuery } from './queries/list-benefits/list-benefits.query';
import { ListMyBenefitsQuery } from './queries/list-my-benefits/list-my-benefits.query';
import { QuoteCartQuery } from './queries/quote-cart/quote-cart.query';

@Controller()
export class BenefitsRpcController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @MessagePattern(BenefitRpc.listMine)
  async listMine(@Payload() command: RpcCommand<unknown>): Promise<Page<BenefitView>> {
    const page = await validateDto(ListQueryDto, dataOf(command));
    return this.queryBus.execute(new ListMyBenefitsQuery(subjectOf(command), page));
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
    return this.queryBus.execute(
      new CheckBenefitEligibilityQuery(subjectOf(command), await idOf(benefitId), orderAmount),
    );
  }

  @MessagePattern(BenefitRpc.quote)
  async quote(@Payload() command: RpcCommand<unknown>): Promise<QuoteView> {
    const cart = await validateDto(QuoteDto, dataOf(command));
    return this.queryBus.execute(new QuoteCartQuery(subjectOf(command), cart));
  }

  @MessagePattern(BenefitRpc.use)
  async use(@Payload() command: RpcCommand<unknown>): Promise<BenefitUsageView> {
    const use = await validateDto(UseBenefitDto, dataOf(command));
    return this.commandBus.execute(new UseBenefitCommand(subjectOf(command), use));
  }

  @MessagePattern(BenefitRpc.stats)
  async stats(@Payload() command: RpcCommand<unknown>): Promise<BenefitStatsView> {
    const { memberId: _member, ...query } = dataOf(command);
    return this.queryBus.execute(
      new GetMyBenefitStatsQuery(
        subjectOf(command),
        await validateDto(BenefitStatsQueryDto, query),
      ),
    );
  }

  @MessagePattern(BenefitRpc.priority)
  async priority(@Payload() command: RpcCommand<unknown>): Promise<PriorityView> {
    requireRole(command, 'service', 'admin');
    return this.queryBus.execute(new GetPriorityQuery(await idOf(dataOf(command).memberId)));
  }

  /** A service checks a benefit it names (`{benefitId}`). */
  @MessagePattern(BenefitRpc.get)
  async get(@Payload() command: RpcCommand<unknown>): Promise<BenefitView> {
    requireRole(command, 'service');
    return this.queryBus.execute(new GetBenefitQuery(await idOf(dataOf(command).benefitId)));
  }

  @MessagePattern(BenefitRpc.list)
  async list(@Payload() command: RpcCommand<unknown>): Promise<Page<BenefitView>> {
    requireRole(command, 'admin');
    return this.queryBus.execute(
      new ListBenefitsQuery(await validateDto(BenefitsQueryDto, dataOf(command))),
    );
  }

  @MessagePattern(BenefitRpc.create)
  async create(@Payload() command: RpcCommand<unknown>): Promise<BenefitView> {
    requireRole(command, 'admin');
    return this.commandBus.execute(
      new CreateBenefitCommand(await validateDto(SaveBenefitDto, dataOf(command))),
    );
  }

  @MessagePattern(BenefitRpc.update)
  async update(@Payload() command: RpcCommand<unknown>): Promise<BenefitView> {
    requireRole(command, 'admin');
    const { benefitId, ...definition } = dataOf(command);
    return this.commandBus.execute(
      new UpdateBenefitCommand(
        await idOf(benefitId),
        await validateDto(SaveBenefitDto, definition),
      ),
    );
  }

  @MessagePattern(BenefitRpc.remove)
  async remove(@Payload() command: RpcCommand<unknown>): Promise<{ removed: true }> {
    requireRole(command, 'admin');
    await this.commandBus.execute(new RemoveBenefitCommand(await idOf(dataOf(command).benefitId)));
    return { removed: true };
  }

  @MessagePattern(BenefitRpc.benefitStats)
  async benefitStats(@Payload() command: RpcCommand<unknown>): Promise<BenefitStatsView> {
    requireRole(command, 'admin');
    const { benefitId, ...query } = dataOf(command);
    return this.queryBus.execute(
      new GetBenefitStatsQuery(
        await idOf(benefitId),
        await validateDto(BenefitStatsQueryDto, query),
      ),
    );
  }
}
