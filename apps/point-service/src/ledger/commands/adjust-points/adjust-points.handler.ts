import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { PointApprovalView, PointsResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { PointServiceConfig } from '../../../config/point-service.config';
import { AccountDirectory } from '../../account-directory';
import { adminRequestKey } from '../../admin-request-key';
import { Ledger } from '../../core/ledger';
import { PointApprovals } from '../../point-approvals';
import { AdjustPointsCommand } from './adjust-points.command';

/**
 * An admin's credit or deduction, with a reason code. Its key is the request's idempotency key
 * (or its correlation id), so a retried request adjusts once. The answer's points carry the
 * adjustment's sign, as its history row does. From ADJUSTMENT_APPROVAL_THRESHOLD points (either
 * sign) nothing is adjusted: the answer is a pending approval request, found again by a retry.
 */
@CommandHandler(AdjustPointsCommand)
export class AdjustPointsHandler implements ICommandHandler<AdjustPointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly approvals: PointApprovals,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  async execute({
    subject,
    adjustment,
    admin,
    requestKey,
  }: AdjustPointsCommand): Promise<PointsResult | PointApprovalView> {
    const sourceId = adminRequestKey(admin, requestKey);
    const account = await this.accounts.of(this.dataSource.manager, subject);
    const threshold = this.config.ADJUSTMENT_APPROVAL_THRESHOLD;
    if (threshold > 0 && Math.abs(adjustment.points) >= threshold) {
      return this.approvals.request(this.dataSource.manager, {
        memberId: account.memberId,
        adjustment,
        admin,
        requestKey: sourceId,
        at: this.clock.now(),
      });
    }
    return this.ledger.adjust(account, {
      points: adjustment.points,
      sourceId,
      note: noteOf(adjustment),
      at: this.clock.now(),
    });
  }
}

/** The history row's note: the reason code, then the admin's note. */
export function noteOf(adjustment: { reasonCode: string; note?: string | null }): string {
  return [adjustment.reasonCode, adjustment.note].filter(Boolean).join(': ');
}
