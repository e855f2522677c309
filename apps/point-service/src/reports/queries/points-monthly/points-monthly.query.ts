import { Query } from '@nestjs/cqrs';
import type { PointsMonthlyReport } from '@member-system/contracts';

/** Months `from`..`to` (YYYY-MM, UTC, both included), already checked to be a valid range. */
export class PointsMonthlyQuery extends Query<PointsMonthlyReport> {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}
