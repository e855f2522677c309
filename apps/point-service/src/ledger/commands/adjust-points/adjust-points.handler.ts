import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor, AdjustPointsDto, PointsResult } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { adminRequestKey } from '../../admin-request-key';
import type { Subject } from '@member-system/shared/service';
import { Ledger } from '../../core/ledger';

/**
 * An admin's credit or deduction, with a reason code. Its key is the request's idempotency key
 * (or its correlation id), so a retried request adjusts once. The answer's points carry the
 * adjustment's sign, as its history row does.
 */
@Injectable()
export class AdjustPointsHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  async execute(
    subject: Subject,
    adjustment: AdjustPointsDto,
    admin: Actor,
    key: string,
  ): Promise<PointsResult> {
    const sourceId = adminRequestKey(admin, key);
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
