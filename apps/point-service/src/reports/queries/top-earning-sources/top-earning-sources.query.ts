import { Query } from '@nestjs/cqrs';
import type { TopEarningSourcesReport } from '@member-system/contracts';

export class TopEarningSourcesQuery extends Query<TopEarningSourcesReport> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly limit: number,
  ) {
    super();
  }
}
