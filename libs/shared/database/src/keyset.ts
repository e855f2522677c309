import { ValidationFailedException } from '@member-system/shared/errors';

/**
 * Keyset pagination for every list of the fleet (docs/api/contract.md, "Conventions"): a list orders its rows
 * by a unique key of columns, a page is `LIMIT limit + 1` rows after the cursor, and the cursor is
 * the key of the last item shown. The cursor is opaque to clients (base64url of the key's values)
 * and only a position: the list's own filters (the member, the level, ...) still apply to the
 * next page, so a cursor copied from another member's list shows nothing of theirs.
 */

/** What one column of a key holds; a cursor's value must parse as its kind or it is refused. */
export type KeyKind =
  /** A DATETIME, carried as its ISO-8601 text. */
  | 'time'
  /** A BIGINT id, as its decimal string. */
  | 'id'
  /** A non-negative whole number (a threshold in cents), as its decimal string. */
  | 'count'
  /** A short text column (a type name). */
  | 'text';

export type KeyValue = Date | string | number;

export interface KeyColumn {
  /** The column as the list's SQL names it (`p.joined_at`). */
  column: string;
  kind: KeyKind;
}

/** A cursor this API did not issue for that list: a 400 VALIDATION_FAILED on `cursor`. */
export class InvalidCursorError extends ValidationFailedException {
  constructor() {
    super({ cursor: ['is not a cursor from this list'] });
  }
}

export function encodeKey(values: readonly KeyValue[]): string {
  const texts = values.map((value) =>
    value instanceof Date ? value.toISOString() : String(value),
  );
  return Buffer.from(JSON.stringify(texts)).toString('base64url');
}

/** Reads a cursor back as the values of a key of these kinds; InvalidCursorError otherwise. */
export function decodeKey(cursor: string, kinds: readonly KeyKind[]): Array<Date | string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== kinds.length) throw new InvalidCursorError();
  return kinds.map((kind, index) => valueOf(kind, (parsed as unknown[])[index]));
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function valueOf(kind: KeyKind, value: unknown): Date | string {
  if (typeof value !== 'string') throw new InvalidCursorError();
  switch (kind) {
    case 'time': {
      // Only the exact form encodeKey writes, so a position is never rounded or shifted, and only
      // four-digit years, which a DATETIME holds.
      const at = new Date(value);
      if (!ISO_TIME.test(value) || at.toISOString() !== value) throw new InvalidCursorError();
      return at;
    }
    case 'id':
      if (!/^[1-9]\d{0,19}$/.test(value)) throw new InvalidCursorError();
      return value;
    case 'count':
      if (!/^(0|[1-9]\d{0,19})$/.test(value)) throw new InvalidCursorError();
      return value;
    case 'text':
      if (value.length < 1 || value.length > 64) throw new InvalidCursorError();
      return value;
  }
}

/**
 * The order of one list: its key columns (the last one unique, usually the id), all ascending or
 * all descending, and how to read the key off a row.
 */
export class Keyset<Row> {
  constructor(
    private readonly columns: readonly KeyColumn[],
    private readonly direction: 'ASC' | 'DESC',
    private readonly keyOf: (row: Row) => readonly KeyValue[],
  ) {}

  /** The `ORDER BY` list. */
  get orderBy(): string {
    return this.columns.map(({ column }) => `${column} ${this.direction}`).join(', ');
  }

  /**
   * The condition for the rows after the cursor, with its parameters. Written out as ORs rather
   * than a row comparison, so the optimiser uses the index on the key columns.
   */
  after(cursor: string): { sql: string; params: unknown[] } {
    const values = decodeKey(
      cursor,
      this.columns.map(({ kind }) => kind),
    );
    const beyond = this.direction === 'ASC' ? '>' : '<';
    let sql = '';
    const params: unknown[] = [];
    for (let index = this.columns.length - 1; index >= 0; index -= 1) {
      const { column } = this.columns[index] as KeyColumn;
      const value = values[index];
      if (sql === '') {
        sql = `${column} ${beyond} ?`;
        params.unshift(value);
      } else {
        sql = `(${column} ${beyond} ? OR (${column} = ? AND ${sql}))`;
        params.unshift(value, value);
      }
    }
    return { sql: `(${sql})`, params };
  }

  /** The cursor that starts the next page after `row`. */
  cursorAfter(row: Row): string {
    return encodeKey(this.keyOf(row));
  }

  /**
   * Cuts rows fetched with `LIMIT limit + 1` into a page: the extra row only says there is a next
   * page, whose cursor is the key of the last row kept.
   */
  page<Item>(rows: readonly Row[], limit: number, toItem: (row: Row) => Item) {
    const kept = rows.slice(0, limit);
    const last = kept[kept.length - 1];
    return {
      items: kept.map(toItem),
      nextCursor: rows.length > limit && last !== undefined ? this.cursorAfter(last) : null,
    };
  }
}

/**
 * A page of a list whose rows are also filtered in code (whether a member may join a campaign,
 * whether a benefit applies to them now): fetches candidates in key order, `limit + 1` at a time
 * after the last one looked at, until `limit + 1` are accepted or none are left. So a page reads
 * about as many rows as it shows, never the whole list. `fetch` applies `after` with
 * `keyset.after`.
 */
export async function acceptedRows<Row>(
  keyset: Keyset<Row>,
  cursor: string | undefined,
  fetch: (after: string | undefined, batch: number) => Promise<Row[]>,
  accept: (rows: Row[]) => Promise<Row[]>,
  limit: number,
): Promise<Row[]> {
  const batch = limit + 1;
  const accepted: Row[] = [];
  let after = cursor;
  for (;;) {
    const candidates = await fetch(after, batch);
    accepted.push(...(await accept(candidates)));
    const last = candidates[candidates.length - 1];
    if (accepted.length > limit || candidates.length < batch || last === undefined) {
      return accepted.slice(0, batch);
    }
    after = keyset.cursorAfter(last);
  }
}
