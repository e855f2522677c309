import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { PointApprovalView } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Ledger } from '../../core/ledger';
import { PointApprovals, approvalSourceId } from '../../point-approvals';
import { noteOf } from '../adjust-points/adjust-points.handler';
import { ApproveAdjustmentCommand } from './approve-adjustment.command';

/**
 * A second admin approves a pending adjustment: the request is locked, the points adjusted (key
 * `approval:<id>`, the same event as any adjustment) and the request marked approved, all in one
 * transaction. So a crash leaves it pending and unapplied, a concurrent approval waits for the lock
 * and finds it approved (409), and a deduction the balance no longer covers is 422
 * POINTS_INSUFFICIENT with the request still pending.
 */
@CommandHandler(ApproveAdjustmentCommand)
export class ApproveAdjustmentHandler implements ICommandHandler<ApproveAdjustmentCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly approvals: PointApprovals,
    private readonly clock: Clock,
  ) {}

  execute({ id, reviewer, note }: ApproveAdjustmentCommand): Promise<PointApprovalView> {
    return this.ledger.transact(async (manager) => {
      const request = await this.approvals.lockForReview(manager, id, reviewer);
      const at = this.clock.now();
      const account = await this.accounts.of(manager, { memberId: request.memberId });
      const adjusted = await this.ledger.adjustWithin(manager, account, {
        points: request.points,
        sourceId: approvalSourceId(id),
        note: noteOf(request),
        at,
      });
      return this.approvals.decide(manager, id, {
        status: 'approved',
        reviewer,
        note,
        at,
        transactionId: adjusted.transactionId,
      });
    });
  }
}
