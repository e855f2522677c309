import { Injectable } from '@nestjs/common';
import type { PointsResult, UsePointsDto } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { Ledger } from '../../ledger';

/** `POST /points/me/use`: one spend per order; a repeat with the same order returns the first result. */
@Injectable()
export class UsePointsHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  execute(userId: string, use: UsePointsDto): Promise<PointsResult> {
    return this.ledger.transact(async (manager) => {
      const account = await this.accounts.ofUser(manager, userId);
      return this.ledger.debit(manager, account, {
        points: use.points,
        source: 'order',
        sourceId: use.orderId,
        kind: 'use:order',
        at: this.clock.now(),
        ...(use.reason === undefined ? {} : { note: use.reason }),
      });
    });
  }
}
