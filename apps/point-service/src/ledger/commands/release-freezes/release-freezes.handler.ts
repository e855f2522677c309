import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Ledger } from '../../core/ledger';
import { Refunds } from '../../core/refunds';
import { ReleaseFreezesCommand } from './release-freezes.command';

/** Hourly: refund freezes whose period (7 days) ran out without an outcome go back to the member. */
@CommandHandler(ReleaseFreezesCommand)
export class ReleaseFreezesHandler implements ICommandHandler<ReleaseFreezesCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly refunds: Refunds,
    private readonly ledger: Ledger,
  ) {}

  async execute({ asOf }: ReleaseFreezesCommand): Promise<Record<string, unknown>> {
    const due = await this.dataSource.query<
      Array<{ id: string; member_id: string; user_id: string }>
    >(
      `SELECT f.id, f.member_id, a.user_id FROM point_freeze f JOIN point_account a ON a.member_id = f.member_id
        WHERE f.status = 'frozen' AND f.frozen_until <= ? ORDER BY f.frozen_until LIMIT 10000`,
      [asOf],
    );
    let released = 0;
    for (const freeze of due) {
      const account = { memberId: String(freeze.member_id), userId: String(freeze.user_id) };
      if (
        await this.ledger.transact((manager) =>
          this.refunds.releaseExpired(manager, account, String(freeze.id)),
        )
      ) {
        released += 1;
      }
    }
    return { released };
  }
}
