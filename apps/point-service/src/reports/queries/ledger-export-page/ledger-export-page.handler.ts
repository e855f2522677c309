import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { LedgerExportPage } from '@member-system/contracts';
import { Keyset } from '@member-system/shared/database';
import { ReadDatabase } from '@member-system/shared/service';
import type { PointTransactionRow } from '../../../ledger/core/ledger-tables';
import { LedgerExportPageQuery } from './ledger-export-page.query';

type ExportRow = Pick<
  PointTransactionRow,
  | 'id'
  | 'member_id'
  | 'created_at'
  | 'type'
  | 'source'
  | 'source_id'
  | 'points'
  | 'balance_after'
  | 'note'
>;

/**
 * One page of the history for the ledger export, so the gateway can stream any number of rows a
 * page at a time. Each page is an index range read, never a sort of the period: one member's rows
 * in time order (then id) on the member index; the whole ledger's in transaction id order on the
 * primary key (ids grow with time; ordering a month of every member by time would sort the whole
 * partition for every page).
 */
@QueryHandler(LedgerExportPageQuery)
export class LedgerExportPageHandler implements IQueryHandler<LedgerExportPageQuery> {
  constructor(private readonly readDatabase: ReadDatabase) {}

  async execute({ filters }: LedgerExportPageQuery): Promise<LedgerExportPage> {
    const keyset =
      filters.memberId === undefined
        ? new Keyset<ExportRow>([{ column: 'id', kind: 'id' }], 'ASC', (row) => [String(row.id)])
        : new Keyset<ExportRow>(
            [
              { column: 'created_at', kind: 'time' },
              { column: 'id', kind: 'id' },
            ],
            'ASC',
            (row) => [row.created_at, String(row.id)],
          );
    const where = ['created_at >= ?', 'created_at < ?'];
    const params: unknown[] = [new Date(filters.from), new Date(filters.to)];
    if (filters.memberId !== undefined) {
      where.push('member_id = ?');
      params.push(filters.memberId);
    }
    if (filters.source !== undefined) {
      where.push('source = ?');
      params.push(filters.source);
    }
    if (filters.cursor !== undefined) {
      const after = keyset.after(filters.cursor);
      where.push(after.sql);
      params.push(...after.params);
    }
    const rows = await this.readDatabase.query<ExportRow[]>(
      `SELECT id, member_id, created_at, type, source, source_id, points, balance_after, note
         FROM point_transaction WHERE ${where.join(' AND ')}
        ORDER BY ${keyset.orderBy} LIMIT ?`,
      [...params, filters.limit + 1],
    );
    const page = keyset.page(rows, filters.limit, (row) => ({
      transactionId: String(row.id),
      memberId: String(row.member_id),
      createdAt: row.created_at.toISOString(),
      type: row.type,
      source: row.source,
      sourceId: row.source_id,
      points: Number(row.points),
      balanceAfter: Number(row.balance_after),
      note: row.note,
    }));
    return { rows: page.items, nextCursor: page.nextCursor };
  }
}
