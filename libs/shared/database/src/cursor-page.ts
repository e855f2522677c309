import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { InvalidCursorError, Keyset, decodeKey, encodeKey } from './keyset';

/**
 * The commonest order, newest first over `(created_at, id)`: stable under inserts (a new row
 * never shifts a page) and served by an index on `created_at` (InnoDB appends the primary key).
 */
export interface CursorKey {
  createdAt: Date;
  /** A BIGINT id as its decimal string. */
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return encodeKey([key.createdAt, key.id]);
}

/** Reads a cursor back; anything this API did not issue raises InvalidCursorError. */
export function decodeCursor(cursor: string): CursorKey {
  const [createdAt, id] = decodeKey(cursor, ['time', 'id']);
  if (!(createdAt instanceof Date) || typeof id !== 'string') throw new InvalidCursorError();
  return { createdAt, id };
}

/**
 * Cuts rows fetched with `LIMIT limit + 1` into a page: the extra row only says there is a next
 * page, whose cursor is the key of the last row kept.
 */
export function toCursorPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => CursorKey,
  toItem: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  return new Keyset<Row>(
    [
      { column: 'created_at', kind: 'time' },
      { column: 'id', kind: 'id' },
    ],
    'DESC',
    (row) => {
      const key = keyOf(row);
      return [key.createdAt, key.id];
    },
  ).page(rows, limit, toItem);
}

export interface CursorPageOptions {
  /** The query's main alias, whose entity has `createdAt` and `id` (the shared BaseEntity). */
  alias: string;
  limit: number;
  /** The client's `?cursor=`; InvalidCursorError when it is not one this API issued. */
  cursor?: string;
}

/**
 * Runs `query` for one page, newest first: orders by (createdAt, id) descending, starts after the
 * cursor and fetches one row more than the limit to learn whether a next page exists.
 */
export async function findCursorPage<Row extends ObjectLiteral & CursorKey>(
  query: SelectQueryBuilder<Row>,
  options: CursorPageOptions,
): Promise<{ items: Row[]; nextCursor: string | null }> {
  const { alias, limit } = options;
  if (options.cursor !== undefined) {
    const after = decodeCursor(options.cursor);
    query.andWhere(
      `(${alias}.createdAt < :cursorCreatedAt OR (${alias}.createdAt = :cursorCreatedAt AND ${alias}.id < :cursorId))`,
      { cursorCreatedAt: after.createdAt, cursorId: after.id },
    );
  }
  const rows = await query
    .orderBy(`${alias}.createdAt`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(limit + 1)
    .getMany();
  return toCursorPage(
    rows,
    limit,
    (row) => row,
    (row) => row,
  );
}
