import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { PointApprovalView } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { Clock } from '@member-system/shared/service';
import { PointApprovals } from '../../point-approvals';
import { RejectAdjustmentCommand } from './reject-adjustment.command';

/** A second admin rejects a pending adjustment: nothing is adjusted, ever. */
@CommandHandler(RejectAdjustmentCommand)
export class RejectAdjustmentHandler implements ICommandHandler<RejectAdjustmentCommand> {
  constructor(
    private readonly approvals: PointApprovals,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  execute({ id, reviewer, note }: RejectAdjustmentCommand): Promise<PointApprovalView> {
    return withTransaction(this.dataSource, async (manager) => {
      await this.approvals.lockForReview(manager, id, reviewer);
      return this.approvals.decide(manager, id, {
        status: 'rejected',
        reviewer,
        note,
        at: this.clock.now(),
      });
    });
  }
}
