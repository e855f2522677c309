import type { Pool, PoolConnection } from 'mysql2';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, testInfra } from '@member-system/shared/testing';
import { pinnedSessionMysql2 } from '../src/data-source-options';
import { queryTogetherAndCommit, rowsOf, statement, writeOf } from '../src/statements';
import { withTransaction } from '../src/with-transaction';

/**
 * On a pool that allows multi-statement queries, a transaction's BEGIN is sent with its first
 * statement (one round trip less); what commits, what rolls back and what a caller is answered
 * stay as they were.
 */
describe('BEGIN sent with the first statement', () => {
  let env: IntegrationEnv;

  beforeAll(async () => {
    env = await openIntegrationEnv({
      entities: [],
      migrations: [],
      migrationsTableName: 'migrations',
      multipleStatements: true,
    });
    await env.dataSource.query('CREATE TABLE entry (id INT PRIMARY KEY, note VARCHAR(20))');
  });

  afterAll(async () => {
    await env.close();
  });

  const countOf = async (id: number): Promise<number> => {
    const [row] = await env.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM entry WHERE id = ?',
      [id],
    );
    return Number(row?.n);
  };

  /** A query runner on its own connection, with every SQL text the connection sends recorded. */
  async function recordingRunner() {
    const runner = env.dataSource.createQueryRunner();
    const connection = (await runner.connect()) as PoolConnection;
    const sent: string[] = [];
    const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
    const spy = jest.spyOn(connection, 'query').mockImplementation(((...args: unknown[]) => {
      sent.push(String(args[0]));
      return query(...args);
    }) as never);
    return { runner, sent, spy };
  }

  it('sends BEGIN and the first statement in one query, and answers that statement alone', async () => {
    const { runner, sent, spy } = await recordingRunner();
    try {
      await runner.startTransaction();
      const inserted = (await runner.query('INSERT INTO entry (id, note) VALUES (?, ?)', [
        1,
        'one',
      ])) as { affectedRows: number };
      const rows = (await runner.query('SELECT note FROM entry WHERE id = ?', [1])) as Array<{
        note: string;
      }>;
      await runner.commitTransaction();

      expect(inserted.affectedRows).toBe(1);
      expect(rows).toEqual([{ note: 'one' }]);
      expect(sent).toEqual([
        'START TRANSACTION;\nINSERT INTO entry (id, note) VALUES (?, ?)',
        'SELECT note FROM entry WHERE id = ?',
        'COMMIT',
      ]);
    } finally {
      spy.mockRestore();
      await runner.release();
    }
    await expect(countOf(1)).resolves.toBe(1);
  });

  it('answers a multi-statement first query with each of its own answers', async () => {
    const answers = await withTransaction(env.dataSource, (manager) =>
      manager.query<unknown[]>(
        'INSERT INTO entry (id, note) VALUES (?, ?); SELECT COUNT(*) AS n FROM entry WHERE id = ?',
        [2, 'two', 2],
      ),
    );

    expect(answers).toHaveLength(2);
    expect((answers[0] as { affectedRows: number }).affectedRows).toBe(1);
    expect((answers[1] as Array<{ n: string }>).map((row) => Number(row.n))).toEqual([1]);
  });

  it('rolls back the first statement when the work fails after it', async () => {
    await expect(
      withTransaction(env.dataSource, async (manager) => {
        await manager.query('INSERT INTO entry (id, note) VALUES (?, ?)', [3, 'three']);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');

    await expect(countOf(3)).resolves.toBe(0);
  });

  it('rolls back when the first statement itself fails', async () => {
    await expect(
      withTransaction(env.dataSource, (manager) =>
        manager.query('INSERT INTO entry (id, note) VALUES (?, ?), (?, ?)', [4, 'a', 4, 'b']),
      ),
    ).rejects.toThrow(/Duplicate entry/);

    await expect(countOf(4)).resolves.toBe(0);
  });

  it('sends nothing for a transaction that ends before any statement', async () => {
    const runner = env.dataSource.createQueryRunner();
    const connection = (await runner.connect()) as PoolConnection;
    const spy = jest.spyOn(connection, 'query');
    try {
      await runner.startTransaction();
      await runner.commitTransaction();
      await runner.startTransaction();
      await runner.rollbackTransaction();
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      await runner.release();
    }
  });

  it('never passes a held BEGIN on to the next user of the connection', async () => {
    // One connection, so the second user gets the connection the first left a BEGIN on.
    const pool: Pool = pinnedSessionMysql2.createPool({
      host: testInfra.mysql.host,
      port: testInfra.mysql.port,
      user: testInfra.mysql.username,
      password: testInfra.mysql.password,
      database: env.schema,
      connectionLimit: 1,
      multipleStatements: true,
    });
    // As TypeORM does: each statement through the connection's own promise wrapper.
    const connectionOf = () =>
      new Promise<PoolConnection>((resolve, reject) =>
        pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))),
      );
    try {
      const first = await connectionOf();
      await first.promise().query('START TRANSACTION');
      first.release(); // without COMMIT or ROLLBACK

      const second = await connectionOf();
      expect(second.threadId).toBe(first.threadId);
      await second.promise().query('INSERT INTO entry (id, note) VALUES (?, ?)', [5, 'autocommit']);
      const [rows] = await second.promise().query('SELECT @@in_transaction AS open');
      second.release();

      expect((rows as Array<{ open: number }>).map((row) => Number(row.open))).toEqual([0]);
      await expect(countOf(5)).resolves.toBe(1);
    } finally {
      await pool.promise().end();
    }
  });

  describe('COMMIT sent with the last statements (queryTogetherAndCommit)', () => {
    it('sends BEGIN, the statements and COMMIT in one query, and commits them', async () => {
      const { runner, sent, spy } = await recordingRunner();
      try {
        await runner.startTransaction();
        const [inserted, rows] = await queryTogetherAndCommit(runner.manager, [
          statement('INSERT INTO entry (id, note) VALUES (?, ?)', [10, 'ten']),
          statement('SELECT note FROM entry WHERE id = ?', [10]),
        ]);
        await runner.commitTransaction();

        expect(writeOf(inserted).affectedRows).toBe(1);
        expect(rowsOf(rows)).toEqual([{ note: 'ten' }]);
        expect(sent).toEqual([
          'START TRANSACTION;\nINSERT INTO entry (id, note) VALUES (?, ?);\nSELECT note FROM entry WHERE id = ?;\nCOMMIT',
        ]);
      } finally {
        spy.mockRestore();
        await runner.release();
      }
      await expect(countOf(10)).resolves.toBe(1);
    });

    it('rolls everything back when a statement before the COMMIT fails', async () => {
      await expect(
        withTransaction(env.dataSource, async (manager) => {
          await manager.query('INSERT INTO entry (id, note) VALUES (?, ?)', [11, 'first']);
          return queryTogetherAndCommit(manager, [
            statement('INSERT INTO entry (id, note) VALUES (?, ?)', [12, 'second']),
            statement('INSERT INTO entry (id, note) VALUES (?, ?)', [11, 'again']),
          ]);
        }),
      ).rejects.toThrow(/Duplicate entry/);

      await expect(countOf(11)).resolves.toBe(0);
      await expect(countOf(12)).resolves.toBe(0);
    });

    it('leaves the next transaction on the connection to commit for itself', async () => {
      await withTransaction(env.dataSource, (manager) =>
        queryTogetherAndCommit(manager, [
          statement('INSERT INTO entry (id, note) VALUES (?, ?)', [13, 'early']),
        ]),
      );
      await withTransaction(env.dataSource, async (manager) => {
        await manager.query('INSERT INTO entry (id, note) VALUES (?, ?)', [14, 'plain']);
      });

      await expect(countOf(13)).resolves.toBe(1);
      await expect(countOf(14)).resolves.toBe(1);
      const [open] = await env.dataSource.query<Array<{ open: number }>>(
        'SELECT @@in_transaction AS open',
      );
      expect(Number(open?.open)).toBe(0);
    });

    it('refuses to run outside a transaction', async () => {
      await expect(
        queryTogetherAndCommit(env.dataSource.manager, [statement('SELECT 1')]),
      ).rejects.toThrow(/last work of a transaction/);
    });
  });
});
