import { Query } from '@nestjs/cqrs';
import type { Page, PointApprovalStatus, PointApprovalView } from '@member-system/contracts';

export class ListPointApprovalsQuery extends Query<Page<PointApprovalView>> {
  constructor(
    readonly limit: number,
    readonly status?: PointApprovalStatus,
    readonly cursor?: string,
  ) {
    super();
  }
}
