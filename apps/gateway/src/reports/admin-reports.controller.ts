import { Readable } from 'node:stream';
import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  LEDGER_EXPORT_PAGE_MAX,
  LedgerExportQueryDto,
  MonthRangeQueryDto,
  PointRpc,
  PointsLiabilityReport,
  PointsMonthlyReport,
  ReportFormatQueryDto,
  TopEarningSourcesReport,
  TopSourcesQueryDto,
  monthRangeProblem,
} from '@member-system/contracts';
import type { Actor, LedgerExportPage, LedgerExportRow } from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission } from '@member-system/shared/security';
import type { FastifyReply } from 'fastify';
import { commandOf } from '../infra/rpc-command';
import { csvLine, csvTable } from './csv';

const CSV = 'text/csv; charset=utf-8';

/** A report's 200: its JSON, or with `format=csv` the same table as CSV. */
function JsonOrCsv(model: new () => unknown): ReturnType<typeof ApiOkResponse> {
  return ApiOkResponse({
    content: {
      'application/json': { schema: { $ref: getSchemaPath(model) } },
      'text/csv': { schema: { type: 'string' } },
    },
  });
}

/** Points reports for finance: JSON, or CSV with `?format=csv`. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiExtraModels(PointsLiabilityReport, PointsMonthlyReport, TopEarningSourcesReport)
@Controller('admin/reports')
export class AdminReportsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('points-liability')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'Points still owed by expiry month, valued at POINT_VALUE' })
  @JsonOrCsv(PointsLiabilityReport)
  async liability(
    @CurrentActor() actor: Actor,
    @Query() query: ReportFormatQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PointsLiabilityReport | string> {
    const { format } = await validateDto(ReportFormatQueryDto, query ?? {});
    const report = await this.rpc.send<PointsLiabilityReport>(
      'point',
      PointRpc.liabilityReport,
      commandOf(actor, {}),
    );
    if (format !== 'csv') return report;
    attachCsv(reply, `points-liability-${new Date().toISOString().slice(0, 10)}.csv`);
    const rows = [
      ...report.months,
      { month: 'total', points: report.totalPoints, value: report.totalValue },
    ];
    return csvTable<(typeof rows)[number]>(
      [
        ['month', (row) => row.month],
        ['points', (row) => row.points],
        ['value', (row) => row.value],
        ['currency', () => report.currency],
      ],
      rows,
    );
  }

  @Get('points-monthly')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'Issued, used and expired points per month, with breakage and redemption rates',
  })
  @JsonOrCsv(PointsMonthlyReport)
  async monthly(
    @CurrentActor() actor: Actor,
    @Query() query: MonthRangeQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PointsMonthlyReport | string> {
    const { format, ...range } = checkedRange(await validateDto(MonthRangeQueryDto, query ?? {}));
    const report = await this.rpc.send<PointsMonthlyReport>(
      'point',
      PointRpc.monthlyReport,
      commandOf(actor, range),
    );
    if (format !== 'csv') return report;
    attachCsv(reply, `points-monthly-${range.from}-${range.to}.csv`);
    return csvTable<PointsMonthlyReport['months'][number]>(
      [
        ['month', (row) => row.month],
        ['issued', (row) => row.issued],
        ['used', (row) => row.used],
        ['expired', (row) => row.expired],
        ['breakage_rate', (row) => row.breakageRate],
        ['redemption_rate', (row) => row.redemptionRate],
      ],
      report.months,
    );
  }

  @Get('top-earning-sources')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'The sources that issued most points in the months' })
  @JsonOrCsv(TopEarningSourcesReport)
  async topSources(
    @CurrentActor() actor: Actor,
    @Query() query: TopSourcesQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TopEarningSourcesReport | string> {
    const { format, ...request } = checkedRange(await validateDto(TopSourcesQueryDto, query ?? {}));
    const report = await this.rpc.send<TopEarningSourcesReport>(
      'point',
      PointRpc.topSourcesReport,
      commandOf(actor, request),
    );
    if (format !== 'csv') return report;
    attachCsv(reply, `top-earning-sources-${request.from}-${request.to}.csv`);
    return csvTable<TopEarningSourcesReport['sources'][number]>(
      [
        ['source', (row) => row.source],
        ['points', (row) => row.points],
        ['count', (row) => row.count],
      ],
      report.sources,
    );
  }
}

/** The ledger for finance as CSV, streamed a page at a time. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/points')
export class AdminLedgerExportController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('ledger-export')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'The points history of a period as CSV, oldest first, streamed' })
  @ApiOkResponse({
    description: 'CSV with a header row',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async ledgerExport(
    @CurrentActor() actor: Actor,
    @Query() query: LedgerExportQueryDto,
  ): Promise<StreamableFile> {
    const filters = await validateDto(LedgerExportQueryDto, query ?? {});
    if (Date.parse(filters.to) <= Date.parse(filters.from)) {
      throw new ValidationFailedException({ to: ['to must be after from'] });
    }
    const page = (cursor: string | undefined): Promise<LedgerExportPage> =>
      this.rpc.send<LedgerExportPage>(
        'point',
        PointRpc.ledgerExportPage,
        commandOf(actor, {
          ...filters,
          limit: LEDGER_EXPORT_PAGE_MAX,
          ...(cursor ? { cursor } : {}),
        }),
      );
    // The first page before answering, so a bad filter or a service down is a clear error
    // status; a failure after it aborts the response, so a cut file is never taken as whole.
    const first = await page(undefined);
    async function* lines(): AsyncGenerator<string> {
      yield csvLine(LEDGER_EXPORT_COLUMNS.map(([header]) => header));
      let current: LedgerExportPage | undefined = first;
      while (current) {
        // One chunk per page: the stream pulls the next page only when the client took this one.
        yield current.rows
          .map((row) => csvLine(LEDGER_EXPORT_COLUMNS.map(([, cell]) => cell(row))))
          .join('');
        current = current.nextCursor ? await page(current.nextCursor) : undefined;
      }
    }
    const name = `ledger-${compact(filters.from)}-${compact(filters.to)}.csv`;
    // One page buffered ahead at most: a slow client holds the export back, not the memory.
    return new StreamableFile(Readable.from(lines(), { highWaterMark: 1 }), {
      type: CSV,
      disposition: `attachment; filename="${name}"`,
    });
  }
}

const LEDGER_EXPORT_COLUMNS: ReadonlyArray<
  readonly [string, (row: LedgerExportRow) => string | number | null]
> = [
  ['transaction_id', (row) => row.transactionId],
  ['member_id', (row) => row.memberId],
  ['created_at', (row) => row.createdAt],
  ['type', (row) => row.type],
  ['source', (row) => row.source],
  ['source_id', (row) => row.sourceId],
  ['points', (row) => row.points],
  ['balance_after', (row) => row.balanceAfter],
  ['note', (row) => row.note],
];

function checkedRange<Range extends MonthRangeQueryDto>(range: Range): Range {
  const problem = monthRangeProblem(range.from, range.to);
  if (problem) throw new ValidationFailedException({ to: [problem] });
  return range;
}

function attachCsv(reply: FastifyReply, filename: string): void {
  void reply.header('content-type', CSV);
  void reply.header('content-disposition', `attachment; filename="${filename}"`);
}

/** A time as digits and T only, for a file name. */
function compact(time: string): string {
  return time.replace(/[^0-9T]/g, '');
}
