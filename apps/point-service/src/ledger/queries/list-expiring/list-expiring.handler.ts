import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { ExpiringLotView, Page } from '@member-system/contracts';
import { Keyset } from '@member-system/shared/database';
import { Clock, ReadDatabase } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { ListExpiringQuery } from './list-expiring.query';

interface LotRow {
  id: string;
  remaining: string;
  expires_at: Date;
  source: string;
  earned_at: Date;
}

/** Soonest first: the order in which the lots are spent, served by ix_point_lot_spendable. */
const SOONEST_FIRST = new Keyset<LotRow>(
  [
    { column: 'expires_at', kind: 'time' },
    { column: 'earned_at', kind: 'time' },
    { column: 'id', kind: 'id' },
  ],
  'ASC',
  (row) => [row.expires_at, row.earned_at, String(row.id)],
);

/** `GET /points/me/expiring?days=30`: lots with points left that expire within the window, soonest first. */
@QueryHandler(ListExpiringQuery)
export class ListExpiringHandler implements IQueryHandler<ListExpiringQuery> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly readDatabase: ReadDatabase,
    private readonly clock: Clock,
  ) {}

  async execute({
    subject,
    days,
    limit,
    cursor,
  }: ListExpiringQuery): Promise<Page<ExpiringLotView>> {
    const { memberId } = await this.accounts.forQuery(this.readDatabase, subject);
    const now = this.clock.now();
    const after = cursor === undefined ? undefined : SOONEST_FIRST.after(cursor);
    const rows = await this.readDatabase.query<LotRow[]>(
      `SELECT id, remaining, expires_at, source, earned_at FROM point_lot
        WHERE member_id = ? AND remaining > 0 AND expires_at > ? AND expires_at <= ?
              ${after ? `AND ${after.sql}` : ''}
        ORDER BY ${SOONEST_FIRST.orderBy} LIMIT ?`,
      [
        memberId,
        now,
        new Date(now.getTime() + days * 86_400_000),
        ...(after?.params ?? []),
        limit + 1,
      ],
    );
    return SOONEST_FIRST.page(rows, limit, (row) => ({
      points: Number(row.remaining),
      expiresAt: row.expires_at.toISOString(),
      source: row.source,
      earnedAt: row.earned_at.toISOString(),
    }));
  }
}
