import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Keyset pagination over `(created_at, id)`, newest first, for any list of the fleet. The cursor
 * is opaque to clients: base64url of the last item's key. Stable under inserts (a new row never
 * shifts a page) and served by an index on `created_at` (InnoDB appends the primary key to it).
 */
export interface CursorKey {
  createdAt: Date;
  /** A BIGINT id as its decimal string. */
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this API issued');
  }
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.id])).toString('base64url');
}

/** Reads a cursor back; anything this API did not issue raises InvalidCursorError. */
export function decodeCursor(cursor: string): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || !/^[1-9]\d{0,19}$/.test(id)) {
    throw new InvalidCursorError();
  }
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) {
    throw new InvalidCursorError();
  }
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
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return {
    items: kept.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
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
