import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { PointApprovalView } from '@member-system/contracts';
import { PointApprovals } from '../../point-approvals';
import { GetPointApprovalQuery } from './get-point-approval.query';

/** One approval request, from the primary (see ListPointApprovalsHandler). */
@QueryHandler(GetPointApprovalQuery)
export class GetPointApprovalHandler implements IQueryHandler<GetPointApprovalQuery> {
  constructor(
    private readonly approvals: PointApprovals,
    private readonly dataSource: DataSource,
  ) {}

  execute({ id }: GetPointApprovalQuery): Promise<PointApprovalView> {
    return this.approvals.get(this.dataSource, id);
  }
}
