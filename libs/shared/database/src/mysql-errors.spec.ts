import {
  MysqlErrno,
  isConnectionError,
  isDuplicateKeyError,
  isReadOnlyError,
  isRetryableTransactionError,
} from './mysql-errors';

/** What mysql2 rejects with: an Error carrying errno and code. */
function mysqlError(errno: number, code: string): Error & { errno: number; code: string } {
  return Object.assign(new Error(code), { errno, code });
}

/** What TypeORM rejects with: QueryFailedError wrapping the driver error. */
function queryFailed(errno: number, code: string): Error & { driverError: Error } {
  return Object.assign(new Error(code), { driverError: mysqlError(errno, code) });
}

const duplicate = [MysqlErrno.DuplicateEntry, 'ER_DUP_ENTRY'] as const;
const deadlock = [MysqlErrno.Deadlock, 'ER_LOCK_DEADLOCK'] as const;
const lockWait = [MysqlErrno.LockWaitTimeout, 'ER_LOCK_WAIT_TIMEOUT'] as const;
const readOnly = [MysqlErrno.ReadOnly, 'ER_OPTION_PREVENTS_STATEMENT'] as const;
const readOnlyTx = [
  MysqlErrno.ReadOnlyTransaction,
  'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION',
] as const;
const syntax = [1064, 'ER_PARSE_ERROR'] as const;

const shapes = [
  ['a mysql2 error', mysqlError],
  ['a QueryFailedError wrapper', queryFailed],
] as const;

describe.each(shapes)('classifying %s', (_shape, make) => {
  it('recognises a duplicate key', () => {
    expect(isDuplicateKeyError(make(...duplicate))).toBe(true);
    expect(isDuplicateKeyError(make(...deadlock))).toBe(false);
  });

  it('treats a deadlock and a lock-wait timeout as retryable, and nothing else', () => {
    expect(isRetryableTransactionError(make(...deadlock))).toBe(true);
    expect(isRetryableTransactionError(make(...lockWait))).toBe(true);
    expect(isRetryableTransactionError(make(...duplicate))).toBe(false);
    expect(isRetryableTransactionError(make(...syntax))).toBe(false);
  });

  it('recognises a read-only server and a read-only transaction', () => {
    expect(isReadOnlyError(make(...readOnly))).toBe(true);
    expect(isReadOnlyError(make(...readOnlyTx))).toBe(true);
    expect(isReadOnlyError(make(...duplicate))).toBe(false);
  });

  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'PROTOCOL_CONNECTION_LOST',
    'ER_SERVER_SHUTDOWN',
    'ER_CON_COUNT_ERROR',
    'POOL_CLOSED',
  ])('treats %s as a connection error', (code) => {
    expect(isConnectionError(make(-1, code))).toBe(true);
  });

  it("treats MariaDB's connection killed at shutdown (1927, no name in mysql2) as one", () => {
    expect(isConnectionError(make(1927, 'UNKNOWN_CODE_PLEASE_REPORT'))).toBe(true);
  });

  it('does not treat a query error as a connection error', () => {
    expect(isConnectionError(make(...duplicate))).toBe(false);
    expect(isConnectionError(make(...deadlock))).toBe(false);
  });
});

describe('classifying anything else', () => {
  it.each([null, undefined, 'ER_DUP_ENTRY', 1062, new Error('boom'), {}, { errno: '1062' }])(
    'finds nothing in %p',
    (value) => {
      expect(isDuplicateKeyError(value)).toBe(false);
      expect(isRetryableTransactionError(value)).toBe(false);
      expect(isReadOnlyError(value)).toBe(false);
      expect(isConnectionError(value)).toBe(false);
    },
  );

  it('reads a Node socket error by its code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      errno: -111,
      code: 'ECONNREFUSED',
    });
    expect(isConnectionError(refused)).toBe(true);
    expect(isRetryableTransactionError(refused)).toBe(false);
  });
});
