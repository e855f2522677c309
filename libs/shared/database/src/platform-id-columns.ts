import type { QueryRunner } from 'typeorm';

/**
 * The column type of a platform id (an order, refund or review id from another platform
 * service): at most 64 ASCII characters, compared byte for byte, so `SO-1` and `so-1` are two
 * orders and a key on it stays compact.
 */
export const PLATFORM_ID_COLUMN = 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Before a migration's `down` turns platform id columns back into BIGINT UNSIGNED: refuses, naming
 * the table, when a row holds an id that is not a number, which the old column cannot keep.
 */
export async function assertNumericIds(
  runner: QueryRunner,
  table: string,
  columns: readonly string[],
): Promise<void> {
  const notNumeric = columns
    .map((column) => `(${column} IS NOT NULL AND ${column} NOT REGEXP '^[0-9]{1,20}$')`)
    .join(' OR ');
  const rows: unknown = await runner.query(
    `SELECT COUNT(*) AS n FROM ${table} WHERE ${notNumeric}`,
  );
  const count = Number((rows as Array<{ n: string | number }>)[0]?.n ?? 0);
  if (count > 0) {
    throw new Error(
      `${table} holds ${count} non-numeric ${columns.join('/')} value(s); BIGINT columns cannot keep them`,
    );
  }
}

/**
 * A migration's `down`: platform id columns back to BIGINT UNSIGNED with their attributes
 * (`NOT NULL`, a comment); call `assertNumericIds` first. Through DECIMAL(20,0), since a direct conversion reads the text as a signed number and
 * refuses ids above 2^63 - 1.
 */
export async function platformIdsToBigint(
  runner: QueryRunner,
  table: string,
  columns: ReadonlyArray<readonly [column: string, attributes: string]>,
): Promise<void> {
  for (const type of ['DECIMAL(20,0)', 'BIGINT UNSIGNED']) {
    const changes = columns.map(([column, attributes]) => `MODIFY ${column} ${type} ${attributes}`);
    await runner.query(`ALTER TABLE ${table} ${changes.join(', ')}`);
  }
}
