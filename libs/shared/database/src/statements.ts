import type { EntityManager } from 'typeorm';

/** One SQL statement with its parameters, to be sent together with others (`queryTogether`). */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** What MySQL answers to a statement that writes. */
export interface WriteAnswer {
  affectedRows: number;
  /** A string: BIGINT ids may pass 2^53. */
  insertId: string;
}

export const statement = (sql: string, params: readonly unknown[] = []): Statement => ({
  sql,
  params,
});

/**
 * Sends `statements` to MySQL in one round trip, as one multi-statement query, and resolves with
 * each one's answer in order: rows for a read, a WriteAnswer for a write. A round trip costs the
 * service and MySQL far more CPU than a simple statement does, so a unit of work that knows its
 * next statements sends them at once. The data source must allow it (`multipleStatements` in its
 * ServiceDataSourceSpec); every value still goes as a `?` parameter.
 *
 * MySQL runs the statements in order and stops at the first that fails, which fails the call with
 * that statement's error. Call it inside a transaction, so that what ran before the failure rolls
 * back with it.
 */
export async function queryTogether(
  manager: EntityManager,
  statements: readonly Statement[],
): Promise<unknown[]> {
  if (statements.length === 0) return [];
  const answer = await manager.query<unknown>(
    statements.map((one) => one.sql).join(';\n'),
    statements.flatMap((one) => one.params),
  );
  // mysql2 answers a single statement with its own answer, several with a list of them.
  if (statements.length === 1) return [answer];
  if (!Array.isArray(answer) || answer.length !== statements.length) {
    throw new Error(`expected ${statements.length} answers from one multi-statement query`);
  }
  return answer as unknown[];
}

/** The rows a read answered. */
export function rowsOf<T>(answer: unknown): T[] {
  if (!Array.isArray(answer)) throw new Error('expected the rows of a read');
  return answer as T[];
}

/** The affected rows and insert id a write answered. */
export function writeOf(answer: unknown): WriteAnswer {
  const header = answer as { affectedRows?: unknown; insertId?: number | string } | null;
  if (typeof header?.affectedRows !== 'number') throw new Error('expected the answer of a write');
  return { affectedRows: header.affectedRows, insertId: String(header.insertId ?? 0) };
}

/** Ends a multi-statement query that commits its transaction (`queryTogetherAndCommit`). */
export const TRAILING_COMMIT = ';\nCOMMIT';

/**
 * `queryTogether`, with the transaction's COMMIT sent in the same round trip after the statements:
 * one round trip less for a unit of work whose last statements are known. It must be the last
 * thing the transaction does (the pool then answers the transaction's own COMMIT without sending
 * it). A failing statement stops the rest, COMMIT included, so the transaction rolls back as ever.
 * Only on a data source that allows multi-statement queries.
 */
export async function queryTogetherAndCommit(
  manager: EntityManager,
  statements: readonly Statement[],
): Promise<unknown[]> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('queryTogetherAndCommit runs only as the last work of a transaction');
  }
  const answer = await manager.query<unknown>(
    statements.map((one) => one.sql).join(';\n') + TRAILING_COMMIT,
    statements.flatMap((one) => one.params),
  );
  if (!Array.isArray(answer) || answer.length !== statements.length + 1) {
    throw new Error(`expected ${statements.length + 1} answers from one multi-statement query`);
  }
  return answer.slice(0, -1) as unknown[];
}
