/**
 * A JSON column's value. MariaDB hands JSON over as text; MySQL 8 (and recent MariaDB drivers)
 * as parsed JSON, in which case a JSON string such as "manual" arrives bare, so only text that
 * starts like JSON (`{`, `[`, `"`) is parsed.
 */
export function jsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' && /^[[{"]/.test(value) ? JSON.parse(value) : value) as T;
}
