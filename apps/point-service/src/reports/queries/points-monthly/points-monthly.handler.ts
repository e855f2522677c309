import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { PointsMonthlyReport } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { monthRange, monthsBetween, rate } from '../../report-figures';
import { ISSUED_ROW, USED_TYPES } from '../../report-rows';
import { PointsMonthlyQuery } from './points-monthly.query';

/** Issued, used and expired points per month from the history, with breakage and redemption rates. */
@QueryHandler(PointsMonthlyQuery)
export class PointsMonthlyHandler implements IQueryHandler<PointsMonthlyQuery> {
  constructor(private readonly readDatabase: ReadDatabase) {}

  async execute({ from, to }: PointsMonthlyQuery): Promise<PointsMonthlyReport> {
    const { start, end } = monthRange(from, to);
    const rows = await this.readDatabase.query<
      Array<{ month: string; issued: string; used: string; expired: string }>
    >(
      `SELECT DATE_FORMAT(created_at, '%Y-%m') AS month,
              SUM(CASE WHEN ${ISSUED_ROW} THEN points ELSE 0 END) AS issued,
              SUM(CASE WHEN type IN (${USED_TYPES}) THEN -points ELSE 0 END) AS used,
              SUM(CASE WHEN type = 'expire' THEN -points ELSE 0 END) AS expired
         FROM point_transaction
        WHERE created_at >= ? AND created_at < ?
        GROUP BY month`,
      [start, end],
    );
    const byMonth = new Map(rows.map((row) => [row.month, row]));
    return {
      from,
      to,
      months: monthsBetween(from, to).map((month) => {
        const row = byMonth.get(month);
        const issued = BigInt(row?.issued ?? 0);
        const used = BigInt(row?.used ?? 0);
        const expired = BigInt(row?.expired ?? 0);
        return {
          month,
          issued: Number(issued),
          used: Number(used),
          expired: Number(expired),
          breakageRate: rate(expired, issued),
          redemptionRate: rate(used, issued),
        };
      }),
    };
  }
}
