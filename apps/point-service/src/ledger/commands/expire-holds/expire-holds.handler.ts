import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Holds } from '../../core/holds';
import { Ledger } from '../../core/ledger';
import { ExpireHoldsCommand } from './expire-holds.command';

/** Every minute: holds past their time give their points back. */
@CommandHandler(ExpireHoldsCommand)
export class ExpireHoldsHandler implements ICommandHandler<ExpireHoldsCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly holds: Holds,
    private readonly ledger: Ledger,
  ) {}

  /** Each expired hold in its own short transaction, so one member's lock never holds up the rest. */
  async execute({ asOf }: ExpireHoldsCommand): Promise<Record<string, unknown>> {
    const due = await this.dataSource.query<
      Array<{ id: string; member_id: string; user_id: string }>
    >(
      `SELECT h.id, h.member_id, a.user_id FROM point_hold h JOIN point_account a ON a.member_id = h.member_id
        WHERE h.status = 'reserved' AND h.expires_at <= ? ORDER BY h.expires_at LIMIT 10000`,
      [asOf],
    );
    for (const hold of due) {
      await this.ledger.transact((manager) =>
        this.holds.release(
          manager,
          { memberId: String(hold.member_id), userId: String(hold.user_id) },
          String(hold.id),
          asOf,
          'expired',
        ),
      );
    }
    return { expired: due.length };
  }
}
