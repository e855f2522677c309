import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { queryTogether, rowsOf, statement, writeOf } from '../src/statements';
import { withTransaction } from '../src/with-transaction';

/** Statements sent together in one multi-statement query, on a data source that allows them. */
describe('queryTogether', () => {
  let env: IntegrationEnv;
  let plain: IntegrationEnv;

  beforeAll(async () => {
    const spec = { entities: [], migrations: [], migrationsTableName: 'migrations' };
    env = await openIntegrationEnv({ ...spec, multipleStatements: true });
    plain = await openIntegrationEnv(spec);
    await env.dataSource.query(
      'CREATE TABLE item (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE)',
    );
    await env.dataSource.query(
      'CREATE TABLE tag (id BIGINT AUTO_INCREMENT PRIMARY KEY, item_id BIGINT NOT NULL, tag VARCHAR(20) NOT NULL)',
    );
  });

  afterAll(async () => {
    await env.close();
    await plain.close();
  });

  it('answers each statement in order: rows for reads, affected rows and ids for writes', async () => {
    const answers = await withTransaction(env.dataSource, (manager) =>
      queryTogether(manager, [
        statement('INSERT INTO item (name) VALUES (?)', ['first']),
        statement('INSERT INTO tag (item_id, tag) VALUES (LAST_INSERT_ID(), ?)', ['red']),
        statement('INSERT IGNORE INTO item (name) VALUES (?)', ['first']),
        statement('SELECT name FROM item WHERE name = ?', ['first']),
      ]),
    );

    const item = writeOf(answers[0]);
    expect(item.affectedRows).toBe(1);
    expect(writeOf(answers[2]).affectedRows).toBe(0);
    expect(rowsOf<{ name: string }>(answers[3])).toEqual([{ name: 'first' }]);
    const [tag] = await env.dataSource.query<Array<{ item_id: string }>>(
      'SELECT item_id FROM tag WHERE id = ?',
      [writeOf(answers[1]).insertId],
    );
    expect(tag?.item_id).toBe(item.insertId);
  });

  it('answers one statement, and none, like several', async () => {
    const [one] = await queryTogether(env.dataSource.manager, [statement('SELECT 1 + 1 AS two')]);
    expect(rowsOf<{ two: number }>(one).map((row) => Number(row.two))).toEqual([2]);
    await expect(queryTogether(env.dataSource.manager, [])).resolves.toEqual([]);
  });

  it('stops at the first statement that fails, and the transaction rolls back what ran before it', async () => {
    await expect(
      withTransaction(env.dataSource, (manager) =>
        queryTogether(manager, [
          statement('INSERT INTO item (name) VALUES (?)', ['second']),
          statement('INSERT INTO item (name) VALUES (?)', ['second']),
          statement('INSERT INTO item (name) VALUES (?)', ['third']),
        ]),
      ),
    ).rejects.toMatchObject({ driverError: { code: 'ER_DUP_ENTRY' } });

    const names = await env.dataSource.query<Array<{ name: string }>>(
      "SELECT name FROM item WHERE name IN ('second', 'third')",
    );
    expect(names).toEqual([]);
  });

  it('keeps a parameter that holds a statement a value', async () => {
    const sneaky = "x'); DROP TABLE tag; --";
    await queryTogether(env.dataSource.manager, [
      statement('INSERT INTO item (name) VALUES (?)', [sneaky.slice(0, 20)]),
      statement('SELECT COUNT(*) AS n FROM tag'),
    ]);
    const [row] = await env.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM item WHERE name = ?',
      [sneaky.slice(0, 20)],
    );
    expect(Number(row?.n)).toBe(1);
  });

  it('is refused by a data source that does not allow several statements in one query', async () => {
    await expect(
      queryTogether(plain.dataSource.manager, [statement('SELECT 1'), statement('SELECT 2')]),
    ).rejects.toMatchObject({ driverError: { code: 'ER_PARSE_ERROR' } });
  });
});
