import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { TopEarningSourcesReport } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { monthRange } from '../../report-figures';
import { ISSUED_ROW } from '../../report-rows';
import { TopEarningSourcesQuery } from './top-earning-sources.query';

/** The sources that issued most points in the months, with their credits. */
@QueryHandler(TopEarningSourcesQuery)
export class TopEarningSourcesHandler implements IQueryHandler<TopEarningSourcesQuery> {
  constructor(private readonly readDatabase: ReadDatabase) {}

  async execute({ from, to, limit }: TopEarningSourcesQuery): Promise<TopEarningSourcesReport> {
    const { start, end } = monthRange(from, to);
    const rows = await this.readDatabase.query<
      Array<{ source: string; points: string; count: string }>
    >(
      `SELECT source, SUM(points) AS points, COUNT(*) AS count
         FROM point_transaction
        WHERE created_at >= ? AND created_at < ? AND ${ISSUED_ROW}
        GROUP BY source ORDER BY SUM(points) DESC, source LIMIT ?`,
      [start, end, limit],
    );
    return {
      from,
      to,
      sources: rows.map((row) => ({
        source: row.source,
        points: Number(row.points),
        count: Number(row.count),
      })),
    };
  }
}
