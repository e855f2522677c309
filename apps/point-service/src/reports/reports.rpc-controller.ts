import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ErrorCode,
  LedgerExportPageQueryDto,
  MonthRangeQueryDto,
  PointRpc,
  TOP_SOURCES_LIMIT_DEFAULT,
  TopSourcesQueryDto,
  monthRangeProblem,
} from '@member-system/contracts';
import type {
  LedgerExportPage,
  PointsLiabilityReport,
  PointsMonthlyReport,
  RpcCommand,
  TopEarningSourcesReport,
} from '@member-system/contracts';
import { AppException, ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { LedgerExportPageQuery } from './queries/ledger-export-page/ledger-export-page.query';
import { PointsLiabilityQuery } from './queries/points-liability/points-liability.query';
import { PointsMonthlyQuery } from './queries/points-monthly/points-monthly.query';
import { TopEarningSourcesQuery } from './queries/top-earning-sources/top-earning-sources.query';

/** The points reports and the ledger export's pages, for admins with `reports:read`. */
@Controller()
export class ReportsRpcController {
  constructor(private readonly queryBus: QueryBus) {}

  @MessagePattern(PointRpc.liabilityReport)
  liability(@Payload() command: RpcCommand<unknown>): Promise<PointsLiabilityReport> {
    mayReadReports(command);
    return this.queryBus.execute(new PointsLiabilityQuery());
  }

  @MessagePattern(PointRpc.monthlyReport)
  async monthly(@Payload() command: RpcCommand<unknown>): Promise<PointsMonthlyReport> {
    mayReadReports(command);
    const { from, to } = monthRangeOf(await validateDto(MonthRangeQueryDto, command.data ?? {}));
    return this.queryBus.execute(new PointsMonthlyQuery(from, to));
  }

  @MessagePattern(PointRpc.topSourcesReport)
  async topSources(@Payload() command: RpcCommand<unknown>): Promise<TopEarningSourcesReport> {
    mayReadReports(command);
    const query = await validateDto(TopSourcesQueryDto, command.data ?? {});
    const { from, to } = monthRangeOf(query);
    return this.queryBus.execute(
      new TopEarningSourcesQuery(from, to, query.limit ?? TOP_SOURCES_LIMIT_DEFAULT),
    );
  }

  @MessagePattern(PointRpc.ledgerExportPage)
  async ledgerExportPage(@Payload() command: RpcCommand<unknown>): Promise<LedgerExportPage> {
    mayReadReports(command);
    const filters = await validateDto(LedgerExportPageQueryDto, command.data ?? {});
    return this.queryBus.execute(new LedgerExportPageQuery(filters));
  }
}

function mayReadReports(command: RpcCommand<unknown>): void {
  if (!command.actor.roles.includes('admin') || !command.actor.perms.includes('reports:read')) {
    throw new AppException(ErrorCode.Forbidden, 'Only admins with reports:read read reports');
  }
}

function monthRangeOf(query: MonthRangeQueryDto): MonthRangeQueryDto {
  const problem = monthRangeProblem(query.from, query.to);
  if (problem) throw new ValidationFailedException({ to: [problem] });
  return query;
}
