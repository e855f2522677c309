import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page, PointTransactionView, TransactionsQueryDto } from '@member-system/contracts';
import { PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import { InvalidCursorError, decodeCursor, toCursorPage } from '@member-system/shared/database';
import type { CursorKey } from '@member-system/shared/database';
import { ValidationFailedException } from '@member-system/shared/errors';
import { Clock } from '@member-system/shared/service';
import type { Subject } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { PointsReadCache } from '../../points-read-cache';

/**
 * The months a page looks in first: the month of the newest row it may hold and the two before.
 * MariaDB looks the member up in every monthly partition a query's range covers, one partition
 * more each month the table ages; a member with that much recent history gets the page from
 * those months alone, and only a page they leave short reads the older months.
 */
export const RECENT_MONTHS = 3;

interface TransactionRow {
  id: string;
  type: string;
  points: string;
  balance_after: string;
  source: string;
  source_id: string;
  created_at: Date;
  expires_at: Date | null;
}

/** What a page may hold: its filters, and the (created_at, id) it continues after. */
export interface HistoryFilter {
  type?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  after?: CursorKey;
}

/** A member's history, newest first, with keyset pages over (created_at, id). */
@Injectable()
export class ListTransactionsHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly dataSource: DataSource,
    private readonly cache: PointsReadCache,
    private readonly clock: Clock,
  ) {}

  async of(subject: Subject, query: TransactionsQueryDto): Promise<Page<PointTransactionView>> {
    const { memberId } = await this.accounts.of(this.dataSource.manager, subject);
    const firstPage =
      query.cursor === undefined &&
      query.type === undefined &&
      query.from === undefined &&
      query.to === undefined &&
      (query.limit ?? PAGE_LIMIT_DEFAULT) === PAGE_LIMIT_DEFAULT;
    if (!firstPage) return this.page(memberId, query);
    const cached = await this.cache.firstHistoryPage(memberId, () => this.page(memberId, query));
    return cached ?? this.page(memberId, query);
  }

  private async page(
    memberId: string,
    query: TransactionsQueryDto,
  ): Promise<Page<PointTransactionView>> {
    const limit = query.limit ?? PAGE_LIMIT_DEFAULT;
    const rows = await this.newestFirst(memberId, filterOf(query), limit + 1);
    return toCursorPage(
      rows,
      limit,
      (row) => ({ createdAt: row.created_at, id: String(row.id) }),
      (row) => ({
        id: String(row.id),
        type: row.type,
        points: Number(row.points),
        balanceAfter: Number(row.balance_after),
        source: row.source,
        sourceId: row.source_id,
        createdAt: row.created_at.toISOString(),
        ...(row.expires_at ? { expiresAt: row.expires_at.toISOString() } : {}),
      }),
    );
  }

  /**
   * Up to `wanted` rows, newest first: from the recent months (RECENT_MONTHS) first, then, if
   * they fall short, from the months before. The two ranges meet without overlapping.
   */
  private async newestFirst(
    memberId: string,
    filter: HistoryFilter,
    wanted: number,
  ): Promise<TransactionRow[]> {
    const newest = Math.min(
      this.clock.now().getTime(),
      filter.to?.getTime() ?? Infinity,
      filter.after?.createdAt.getTime() ?? Infinity,
    );
    const recentFrom = monthStartBefore(new Date(newest), RECENT_MONTHS - 1);
    if (filter.from && filter.from >= recentFrom) return this.rows(memberId, filter, wanted);
    const recent = await this.rows(memberId, { ...filter, from: recentFrom }, wanted);
    if (recent.length === wanted) return recent;
    const older = await this.rows(memberId, { ...filter, to: recentFrom }, wanted - recent.length);
    return [...recent, ...older];
  }

  private rows(memberId: string, filter: HistoryFilter, count: number): Promise<TransactionRow[]> {
    const { sql, params } = historyPageQuery(memberId, filter, count);
    return this.dataSource.query<TransactionRow[]>(sql, params);
  }
}

function filterOf(query: TransactionsQueryDto): HistoryFilter {
  return {
    ...(query.type ? { type: query.type } : {}),
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
    ...(query.cursor ? { after: cursorOf(query.cursor) } : {}),
  };
}

/** The start (UTC, as the partitions) of the month `months` before the month of `at`. */
export function monthStartBefore(at: Date, months: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - months, 1));
}

/**
 * `count` rows of a member's history, newest first. It reads only columns of
 * ix_point_transaction_member_page, so the rows come from the index alone; keep the two in step.
 * A range on `created_at` limits the partitions MariaDB looks in.
 */
export function historyPageQuery(
  memberId: string,
  filter: HistoryFilter,
  count: number,
): { sql: string; params: unknown[] } {
  const where = ['member_id = ?'];
  const params: unknown[] = [memberId];
  const condition = (sql: string, ...values: unknown[]): void => {
    where.push(sql);
    params.push(...values);
  };
  if (filter.type) condition('type = ?', filter.type);
  if (filter.from) condition('created_at >= ?', filter.from);
  if (filter.to) condition('created_at < ?', filter.to);
  if (filter.after) {
    const { createdAt, id } = filter.after;
    condition('(created_at < ? OR (created_at = ? AND id < ?))', createdAt, createdAt, id);
  }
  return {
    sql: `SELECT id, type, points, balance_after, source, source_id, created_at, expires_at FROM point_transaction
        WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
    params: [...params, count],
  };
}

function cursorOf(cursor: string): CursorKey {
  try {
    return decodeCursor(cursor);
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new ValidationFailedException({ cursor: [error.message] });
    throw error;
  }
}
