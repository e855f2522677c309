import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Page, PointApprovalView } from '@member-system/contracts';
import { PointApprovals } from '../../point-approvals';
import { ListPointApprovalsQuery } from './list-point-approvals.query';

/**
 * Approval requests, newest first. Read from the primary, not a replica: a reviewer who just
 * decided one expects the pending list without it.
 */
@QueryHandler(ListPointApprovalsQuery)
export class ListPointApprovalsHandler implements IQueryHandler<ListPointApprovalsQuery> {
  constructor(
    private readonly approvals: PointApprovals,
    private readonly dataSource: DataSource,
  ) {}

  execute({ limit, status, cursor }: ListPointApprovalsQuery): Promise<Page<PointApprovalView>> {
    return this.approvals.list(this.dataSource, { limit, status, cursor });
  }
}
