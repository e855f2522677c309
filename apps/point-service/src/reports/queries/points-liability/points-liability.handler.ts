import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { PointsLiabilityReport } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { PointServiceConfig } from '../../../config/point-service.config';
import { pointsValue } from '../../report-figures';
import { PointsLiabilityQuery } from './points-liability.query';

/** Points still owed (Σ remaining of lots with points left) by expiry month, valued at POINT_VALUE. */
@QueryHandler(PointsLiabilityQuery)
export class PointsLiabilityHandler implements IQueryHandler<PointsLiabilityQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  async execute(): Promise<PointsLiabilityReport> {
    // Lots not yet swept by the expiry job count until it runs: the ledger still owes them.
    const rows = await this.readDatabase.query<Array<{ month: string; points: string }>>(
      `SELECT COALESCE(DATE_FORMAT(expires_at, '%Y-%m'), 'never') AS month, SUM(remaining) AS points
         FROM point_lot WHERE remaining > 0
        GROUP BY month ORDER BY month = 'never', month`,
    );
    const pointValue = this.config.POINT_VALUE;
    let total = 0n;
    const months = rows.map((row) => {
      const points = BigInt(row.points);
      total += points;
      return { month: row.month, points: Number(points), value: pointsValue(points, pointValue) };
    });
    return {
      pointValue,
      currency: this.config.POINT_VALUE_CURRENCY,
      totalPoints: Number(total),
      totalValue: pointsValue(total, pointValue),
      months,
    };
  }
}
