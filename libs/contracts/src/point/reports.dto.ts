// The points reports and the ledger export for finance (admin, `reports:read`).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNumberString,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

/** A calendar month (UTC), `YYYY-MM`. */
export const REPORT_MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The longest range a monthly report covers, in months (from and to included). */
export const REPORT_MAX_MONTHS = 36;
export const TOP_SOURCES_LIMIT_DEFAULT = 10;
/** Rows per page the gateway pulls from point-service while it streams a ledger export. */
export const LEDGER_EXPORT_PAGE_MAX = 1000;

/** `format=csv` answers the report as a CSV attachment instead of JSON. */
export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportFormatQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'json (default) or csv' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

/** `from` and `to` months, both included, at most REPORT_MAX_MONTHS apart. */
export class MonthRangeQueryDto extends ReportFormatQueryDto {
  @ApiProperty({ example: '2026-01', description: 'First month (UTC), YYYY-MM' })
  @Matches(REPORT_MONTH_PATTERN, { message: 'from must be a month like 2026-01' })
  from!: string;

  @ApiProperty({ example: '2026-12', description: 'Last month (UTC), YYYY-MM, included' })
  @Matches(REPORT_MONTH_PATTERN, { message: 'to must be a month like 2026-12' })
  to!: string;
}

export class TopSourcesQueryDto extends MonthRangeQueryDto {
  @ApiPropertyOptional({ example: 10, description: 'How many sources (1–100, default 10)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class LiabilityMonth {
  @ApiProperty({ example: '2028-11', description: 'Expiry month (UTC), or `never`' })
  month!: string;

  @ApiProperty({ example: 125000 })
  points!: number;

  @ApiProperty({ example: '1250.00', description: 'points × pointValue, exact' })
  value!: string;
}

export class PointsLiabilityReport {
  @ApiProperty({ example: '0.01', description: 'POINT_VALUE: what one point is worth' })
  pointValue!: string;

  @ApiProperty({ example: 'CNY' })
  currency!: string;

  @ApiProperty({ example: 125000, description: 'Points left on all lots' })
  totalPoints!: number;

  @ApiProperty({ example: '1250.00' })
  totalValue!: string;

  @ApiProperty({ type: [LiabilityMonth], description: 'By expiry month, earliest first' })
  months!: LiabilityMonth[];
}

export class PointsMonth {
  @ApiProperty({ example: '2026-11' })
  month!: string;

  @ApiProperty({ example: 52000, description: 'Earned, plus positive admin adjustments' })
  issued!: number;

  @ApiProperty({
    example: 31000,
    description: 'Spent (spends and captured holds) less restored (cancelled orders given back)',
  })
  used!: number;

  @ApiProperty({ example: 2000 })
  expired!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '0.0385',
    description: 'expired / issued, 4 decimals (half up); null when nothing was issued',
  })
  breakageRate!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '0.5962',
    description: 'used / issued, 4 decimals (half up); null when nothing was issued',
  })
  redemptionRate!: string | null;
}

export class PointsMonthlyReport {
  @ApiProperty({ example: '2026-01' })
  from!: string;

  @ApiProperty({ example: '2026-12' })
  to!: string;

  @ApiProperty({ type: [PointsMonth], description: 'Every month of the range, oldest first' })
  months!: PointsMonth[];
}

export class EarningSource {
  @ApiProperty({ example: 'order' })
  source!: string;

  @ApiProperty({ example: 410000 })
  points!: number;

  @ApiProperty({ example: 3200, description: 'Credits' })
  count!: number;
}

export class TopEarningSourcesReport {
  @ApiProperty({ example: '2026-01' })
  from!: string;

  @ApiProperty({ example: '2026-12' })
  to!: string;

  @ApiProperty({ type: [EarningSource], description: 'Most points first (ties: by name)' })
  sources!: EarningSource[];
}

/** `GET /admin/points/ledger-export` filters: a period is required. */
export class LedgerExportQueryDto {
  @ApiProperty({ example: '2026-11-01T00:00:00Z', description: 'From this time, included' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2026-12-01T00:00:00Z', description: 'To this time, excluded' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiPropertyOptional({ example: '1024', description: "Only this member's rows" })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  memberId?: string;

  @ApiPropertyOptional({ example: 'order', description: 'Only rows of this source' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'source must be a source name like order' })
  source?: string;
}

/** The RPC behind the export: one keyset page, oldest first, after `cursor`. */
export class LedgerExportPageQueryDto extends LedgerExportQueryDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LEDGER_EXPORT_PAGE_MAX)
  limit!: number;
}

export interface LedgerExportRow {
  transactionId: string;
  memberId: string;
  createdAt: string;
  type: string;
  source: string;
  sourceId: string;
  points: number;
  balanceAfter: number;
  note: string | null;
}

export interface LedgerExportPage {
  rows: LedgerExportRow[];
  nextCursor: string | null;
}

/** What is wrong with a month range (to before from, or longer than REPORT_MAX_MONTHS), if anything. */
export function monthRangeProblem(from: string, to: string): string | null {
  const index = (month: string): number => {
    const [year, number] = month.split('-').map(Number) as [number, number];
    return year * 12 + number - 1;
  };
  const months = index(to) - index(from) + 1;
  if (months < 1) return 'to must not be before from';
  if (months > REPORT_MAX_MONTHS) return `the range must be at most ${REPORT_MAX_MONTHS} months`;
  return null;
}
