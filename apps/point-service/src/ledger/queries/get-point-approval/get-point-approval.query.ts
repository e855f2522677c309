import { Query } from '@nestjs/cqrs';
import type { PointApprovalView } from '@member-system/contracts';

export class GetPointApprovalQuery extends Query<PointApprovalView> {
  constructor(readonly id: string) {
    super();
  }
}
