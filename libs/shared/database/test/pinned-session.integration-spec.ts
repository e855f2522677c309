import { withTransaction } from '../src/with-transaction';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';

/**
 * Every pooled session is pinned to UTC (server-filled times such as `DEFAULT CURRENT_TIMESTAMP`
 * are UTC whatever the server's own zone is) and to READ COMMITTED (withTransaction's default,
 * which it then does not set again).
 */
describe('Pinned database sessions', () => {
  let env: IntegrationEnv;

  beforeAll(async () => {
    env = await openIntegrationEnv({
      entities: [],
      migrations: [],
      migrationsTableName: 'migrations',
    });
  });

  afterAll(async () => {
    await env.close();
  });

  it('pins every pooled connection to UTC, including the first one the pool opens', async () => {
    // Concurrent sleeps make the pool open many connections at once.
    const sessions = await Promise.all(
      Array.from({ length: 12 }, () =>
        env.dataSource.query<Array<{ id: string; zone: string }>>(
          'SELECT CONNECTION_ID() AS id, @@session.time_zone AS zone, SLEEP(0.05) AS slept',
        ),
      ),
    );
    const rows = sessions.map(([row]) => row);
    expect(new Set(rows.map((row) => String(row?.id))).size).toBeGreaterThan(1);
    expect(rows.every((row) => row?.zone === '+00:00')).toBe(true);
  });

  it('gives each pooled connection one promise wrapper, reused by every statement', async () => {
    const runner = env.dataSource.createQueryRunner();
    try {
      const connection = (await runner.connect()) as { promise(): unknown };
      expect(connection.promise()).toBe(connection.promise());
      const [row] = (await runner.query('SELECT 1 + 1 AS two')) as Array<{ two: number }>;
      expect(Number(row?.two)).toBe(2);
      await expect(runner.query('SELECT no_such_column')).rejects.toThrow(/no_such_column/);
    } finally {
      await runner.release();
    }
  });

  it('stores CURRENT_TIMESTAMP as the UTC instant the Dates we send are compared with', async () => {
    await env.dataSource.query(
      'CREATE TABLE stamp (id INT PRIMARY KEY, at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))',
    );
    const before = Date.now();
    await env.dataSource.query('INSERT INTO stamp (id) VALUES (1)');
    const [row] = await env.dataSource.query<Array<{ at: Date; later: number }>>(
      'SELECT at, at <= ? AS later FROM stamp WHERE id = 1',
      [new Date(before + 5_000)],
    );
    expect(Math.abs((row?.at.getTime() ?? 0) - before)).toBeLessThan(5_000);
    expect(Number(row?.later)).toBe(1);
  });

  it('runs withTransaction at READ COMMITTED: a row another session commits meanwhile is seen', async () => {
    await env.dataSource.query('CREATE TABLE seen (id INT PRIMARY KEY)');
    const counts = await withTransaction(env.dataSource, async (manager) => {
      const count = async () =>
        Number((await manager.query<Array<{ n: string }>>('SELECT COUNT(*) AS n FROM seen'))[0]?.n);
      const first = await count();
      // Another pooled connection commits a row while this transaction is open. Under
      // REPEATABLE READ the second read would still see the first read's snapshot.
      await env.dataSource.query('INSERT INTO seen (id) VALUES (1)');
      return [first, await count()];
    });
    expect(counts).toEqual([0, 1]);
  });
});
