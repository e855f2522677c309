import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { ExpiringLotView } from '@member-system/contracts';
import { Clock, ReadDatabase } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { ListExpiringQuery } from './list-expiring.query';

/** `GET /points/me/expiring?days=30`: lots with points left that expire within the window, soonest first. */
@QueryHandler(ListExpiringQuery)
export class ListExpiringHandler implements IQueryHandler<ListExpiringQuery> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly readDatabase: ReadDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({ subject, days }: ListExpiringQuery): Promise<ExpiringLotView[]> {
    const { memberId } = await this.accounts.forQuery(this.readDatabase, subject);
    const now = this.clock.now();
    const rows = await this.readDatabase.query<
      Array<{ remaining: string; expires_at: Date; source: string; earned_at: Date }>
    >(
      `SELECT remaining, expires_at, source, earned_at FROM point_lot
        WHERE member_id = ? AND remaining > 0 AND expires_at > ? AND expires_at <= ?
        ORDER BY expires_at, earned_at, id LIMIT 500`,
      [memberId, now, new Date(now.getTime() + days * 86_400_000)],
    );
    return rows.map((row) => ({
      points: Number(row.remaining),
      expiresAt: row.expires_at.toISOString(),
      source: row.source,
      earnedAt: row.earned_at.toISOString(),
    }));
  }
}
