import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import * as mysql2 from 'mysql2';
import { TRAILING_COMMIT } from './statements';
import { createConnection } from 'mysql2/promise';

export interface MysqlSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  poolSize?: number;
}

export interface ServiceDataSourceSpec {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Each service keeps its own migration history table. */
  migrationsTableName: string;
  /**
   * Lets the service send several statements in one query (`queryTogether`). Off unless a
   * service's hot paths need it: all values still go as parameters, but a statement built from
   * strings by mistake could then carry a second one.
   */
  multipleStatements?: boolean;
}

/** The isolation level every pooled session starts with, and withTransaction's default. */
export const SESSION_ISOLATION = 'READ COMMITTED';

/**
 * mysql2 with every pooled connection's session pinned before its first query:
 * - to UTC. The driver's `timezone: 'Z'` only converts the Dates we send and read; columns filled
 *   by the server (`DEFAULT CURRENT_TIMESTAMP`, such as the history's partition key) take the
 *   session's zone, which on a server set to local time would be hours away from the Dates
 *   compared against them;
 * - to READ COMMITTED, so that a transaction at that level needs no `SET TRANSACTION` statement of
 *   its own: one round trip less for every write;
 * and with one promise wrapper per connection instead of one per statement. On a pool that allows
 * multi-statement queries, a transaction's BEGIN also travels with its first statement
 * (`deferBegin`): one round trip less for every transaction.
 */
export const pinnedSessionMysql2: typeof mysql2 = {
  ...mysql2,
  createPool(options: mysql2.PoolOptions) {
    const pool = mysql2.createPool(options);
    const pendingBegins = new WeakSet<object>();
    const earlyCommits = new WeakSet<object>();
    // A connection goes back to the pool with no BEGIN waiting and no early COMMIT noted,
    // whatever its last user did.
    pool.on('release', (connection) => {
      pendingBegins.delete(connection);
      earlyCommits.delete(connection);
    });
    // Emitted once per new connection, before it serves anyone; its commands run in order.
    pool.on('connection', (connection) => {
      // A connection that cannot take them is broken anyway: the pool opens another.
      const destroyOnError = (error: unknown) => {
        if (error) connection.destroy();
      };
      connection.query("SET time_zone = '+00:00'", destroyOnError);
      connection.query(
        `SET SESSION TRANSACTION ISOLATION LEVEL ${SESSION_ISOLATION}`,
        destroyOnError,
      );
      // TypeORM asks for the connection's promise wrapper before every statement, and mysql2
      // builds a new one each time (a require() lookup and an EventEmitter with two listeners):
      // 3 % of point-service's CPU in check-ins. The wrapper holds no state, so one per connection.
      const wrap = connection.promise.bind(connection);
      let wrapper: ReturnType<typeof wrap> | undefined;
      connection.promise = (promiseImpl) => {
        if (wrapper) return wrapper;
        wrapper = wrap(promiseImpl);
        if (options.multipleStatements) {
          deferBegin(wrapper, connection, pendingBegins, earlyCommits);
        }
        return wrapper;
      };
    });
    return pool;
  },
} as typeof mysql2;

type QueryAnswer = [unknown, unknown];
/** What a statement that was not sent answers: no rows, nothing changed. */
const nothingSent = (): QueryAnswer => [
  { affectedRows: 0, insertId: 0, warningStatus: 0 },
  undefined,
];

/**
 * TypeORM opens a transaction with a `START TRANSACTION` of its own, a round trip in which the
 * server does nothing a transaction's first statement could not do as well: it is held back and
 * sent in front of that statement, in one multi-statement query, and the caller gets that
 * statement's answer alone. A transaction that ends before any statement sends nothing at all.
 * The pool's `release` clears a BEGIN still held, so no later user inherits it. Likewise a
 * transaction whose last query carried its COMMIT (`queryTogetherAndCommit`) sends no COMMIT of
 * its own.
 */
function deferBegin(
  promiseConnection: { query(sql: unknown, params?: unknown): Promise<QueryAnswer> },
  connection: object,
  pendingBegins: WeakSet<object>,
  earlyCommits: WeakSet<object>,
): void {
  const sendNow = promiseConnection.query.bind(promiseConnection);
  // A query ending with the transaction's COMMIT (queryTogetherAndCommit): the COMMIT that TypeORM
  // sends next has nothing left to do and is answered here.
  const send = async (sql: unknown, params?: unknown): Promise<QueryAnswer> => {
    const answer = await sendNow(sql, params);
    if (typeof sql === 'string' && sql.endsWith(TRAILING_COMMIT)) earlyCommits.add(connection);
    return answer;
  };
  promiseConnection.query = async (sql: unknown, params?: unknown): Promise<QueryAnswer> => {
    if (sql === 'START TRANSACTION') {
      pendingBegins.add(connection);
      earlyCommits.delete(connection);
      return nothingSent();
    }
    if (sql === 'COMMIT' && earlyCommits.has(connection)) {
      earlyCommits.delete(connection);
      return nothingSent();
    }
    if (!pendingBegins.has(connection)) return send(sql, params);
    pendingBegins.delete(connection);
    if (sql === 'COMMIT' || sql === 'ROLLBACK') return nothingSent();
    if (typeof sql !== 'string') {
      await send('START TRANSACTION');
      return send(sql, params);
    }
    const [answers, fields] = (await send(`START TRANSACTION;\n${sql}`, params)) as [
      unknown[],
      unknown[] | undefined,
    ];
    // One answer per statement: BEGIN's first, then the caller's one or several.
    const rest = answers.slice(1);
    return rest.length === 1 ? [rest[0], fields?.[1]] : [rest, fields?.slice(1)];
  };
}

/**
 * TypeORM options for one service's schema. `type: 'mysql'` works against MySQL 8 and MariaDB
 * 10.11; times are stored and computed in UTC; BIGINT and DECIMAL come back as strings (see
 * bigintTransformer).
 */
export function serviceDataSourceOptions(
  mysql: MysqlSettings,
  spec: ServiceDataSourceSpec,
): DataSourceOptions {
  return {
    type: 'mysql',
    host: mysql.host,
    port: mysql.port,
    username: mysql.username,
    password: mysql.password,
    database: mysql.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    driver: pinnedSessionMysql2,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: false,
    synchronize: false,
    migrationsRun: false,
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: spec.migrationsTableName,
    poolSize: mysql.poolSize ?? 10,
    multipleStatements: spec.multipleStatements ?? false,
    // No call-site stack captured by mysql2 for every statement (8 % of point-service's CPU in a
    // spend): TypeORM's QueryFailedError still names the statement and its own call site.
    trace: false,
    extra: { connectTimeout: 5000, enableKeepAlive: true },
  };
}

/** Creates the service's schema if it is missing (first start, or a test's own schema). */
export async function ensureDatabase(mysql: MysqlSettings): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(mysql.database)) {
    throw new Error(`Schema name "${mysql.database}" may hold only letters, digits and _`);
  }
  const connection = await createConnection({
    host: mysql.host,
    port: mysql.port,
    user: mysql.username,
    password: mysql.password,
    connectTimeout: 5000,
  });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${mysql.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(mysql: MysqlSettings): Promise<void> {
  if (!/^[A-Za-z0-9_]+$/.test(mysql.database)) throw new Error('bad schema name');
  const connection = await createConnection({
    host: mysql.host,
    port: mysql.port,
    user: mysql.username,
    password: mysql.password,
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${mysql.database}\``);
  } finally {
    await connection.end();
  }
}
