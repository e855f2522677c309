/** MySQL/MariaDB server error numbers the code reacts to. */
export const MysqlErrno = {
  DuplicateEntry: 1062,
  LockWaitTimeout: 1205,
  Deadlock: 1213,
  ReadOnly: 1290,
  ReadOnlyTransaction: 1792,
  /** MariaDB ends the statements of its connections with this when it shuts down. */
  ConnectionKilled: 1927,
} as const;

function errnoOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate =
    (error as { errno?: unknown; driverError?: { errno?: unknown } }).errno ??
    (error as { driverError?: { errno?: unknown } }).driverError?.errno;
  return typeof candidate === 'number' ? candidate : undefined;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate =
    (error as { code?: unknown }).code ??
    (error as { driverError?: { code?: unknown } }).driverError?.code;
  return typeof candidate === 'string' ? candidate : undefined;
}

export function isDuplicateKeyError(error: unknown): boolean {
  return errnoOf(error) === MysqlErrno.DuplicateEntry;
}

export function isRetryableTransactionError(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno === MysqlErrno.Deadlock || errno === MysqlErrno.LockWaitTimeout;
}

export function isReadOnlyError(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno === MysqlErrno.ReadOnly || errno === MysqlErrno.ReadOnlyTransaction;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'POOL_CLOSED',
]);

/** The database could not be reached: the work is fine, it just has to wait. */
export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && CONNECTION_ERROR_CODES.has(code)) return true;
  // mysql2 has no name for MariaDB's own number, so it is told by the number.
  return errnoOf(error) === MysqlErrno.ConnectionKilled;
}
