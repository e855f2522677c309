import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { Page, PointTransactionView, TransactionsQueryDto } from '@member-system/contracts';
import { PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import { decodeCursor, toCursorPage } from '@member-system/shared/database';
import { ReadDatabase } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import type { PointTransactionRow } from '../../core/ledger-tables';
import { PointsReadCache } from '../../points-read-cache';
import { ListTransactionsQuery } from './list-transactions.query';

type TransactionRow = Pick<
  PointTransactionRow,
  | 'id'
  | 'type'
  | 'points'
  | 'balance_after'
  | 'frozen_after'
  | 'held_after'
  | 'debt_after'
  | 'source'
  | 'source_id'
  | 'created_at'
  | 'expires_at'
>;

/** A member's history, newest first, with keyset pages over (created_at, id). */
@QueryHandler(ListTransactionsQuery)
export class ListTransactionsHandler implements IQueryHandler<ListTransactionsQuery> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly readDatabase: ReadDatabase,
    private readonly cache: PointsReadCache,
  ) {}

  async execute({ subject, filters }: ListTransactionsQuery): Promise<Page<PointTransactionView>> {
    const { memberId } = await this.accounts.forQuery(this.readDatabase, subject);
    const firstPage =
      filters.cursor === undefined &&
      filters.type === undefined &&
      filters.from === undefined &&
      filters.to === undefined &&
      (filters.limit ?? PAGE_LIMIT_DEFAULT) === PAGE_LIMIT_DEFAULT;
    if (!firstPage) return this.page(memberId, filters);
    const cached = await this.cache.firstHistoryPage(memberId, () => this.page(memberId, filters));
    return cached ?? this.page(memberId, filters);
  }

  private async page(
    memberId: string,
    query: TransactionsQueryDto,
  ): Promise<Page<PointTransactionView>> {
    const limit = query.limit ?? PAGE_LIMIT_DEFAULT;
    const { sql, params } = historyPageQuery(memberId, query, limit);
    const rows = await this.readDatabase.query<TransactionRow[]>(sql, params);
    return toCursorPage(
      rows,
      limit,
      (row) => ({ createdAt: row.created_at, id: String(row.id) }),
      (row) => ({
        id: String(row.id),
        type: row.type,
        points: Number(row.points),
        balanceAfter: Number(row.balance_after),
        frozenAfter: Number(row.frozen_after),
        heldAfter: Number(row.held_after),
        debtAfter: Number(row.debt_after),
        source: row.source,
        sourceId: row.source_id,
        createdAt: row.created_at.toISOString(),
        ...(row.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}),
      }),
    );
  }
}

/**
 * One page of a member's history, newest first: `limit + 1` rows, to tell whether another page
 * follows. It reads only columns of ix_point_transaction_member_rows, so the rows come from the
 * index alone; keep the two in step.
 */
export function historyPageQuery(
  memberId: string,
  query: TransactionsQueryDto,
  limit: number,
): { sql: string; params: unknown[] } {
  const where = ['member_id = ?'];
  const params: unknown[] = [memberId];
  const filter = (condition: string, value: unknown): void => {
    where.push(condition);
    params.push(value);
  };
  if (query.type) filter('type = ?', query.type);
  if (query.from) filter('created_at >= ?', new Date(query.from));
  if (query.to) filter('created_at < ?', new Date(query.to));
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))');
    params.push(after.createdAt, after.createdAt, after.id);
  }
  return {
    sql: `SELECT id, type, points, balance_after, frozen_after, held_after, debt_after, source, source_id, created_at, expires_at
         FROM point_transaction
        WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
    params: [...params, limit + 1],
  };
}
