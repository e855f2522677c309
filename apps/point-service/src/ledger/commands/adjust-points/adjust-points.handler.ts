import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { PointsResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { adminRequestKey } from '../../admin-request-key';
import { Ledger } from '../../core/ledger';
import { AdjustPointsCommand } from './adjust-points.command';

/**
 * An admin's credit or deduction, with a reason code. Its key is the request's idempotency key
 * (or its correlation id), so a retried request adjusts once. The answer's points carry the
 * adjustment's sign, as its history row does.
 */
@CommandHandler(AdjustPointsCommand)
export class AdjustPointsHandler implements ICommandHandler<AdjustPointsCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  async execute({
    subject,
    adjustment,
    admin,
    requestKey,
  }: AdjustPointsCommand): Promise<PointsResult> {
    const sourceId = adminRequestKey(admin, requestKey);
    const note = [adjustment.reasonCode, adjustment.note].filter(Boolean).join(': ');
    const account = await this.accounts.of(this.dataSource.manager, subject);
    return this.ledger.adjust(account, {
      points: adjustment.points,
      sourceId,
      note,
      at: this.clock.now(),
    });
  }
}
