import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnvBefore, runMigration } from '@member-system/shared/testing';
import { benefitDatabase } from '../src/database/data-source';
import { OpaqueOrderIds1764028800340 } from '../src/database/migrations/1764028800340-opaque-order-ids';

/**
 * The upgrade to opaque order ids on benefit uses recorded with numeric ones: every id keeps its
 * decimal text, the keys still hold, and afterwards ids are kept as given, case-sensitively.
 */
describe(OpaqueOrderIds1764028800340.name, () => {
  let env: IntegrationEnv;
  const sut = new OpaqueOrderIds1764028800340();

  const migrate = (step: 'up' | 'down'): Promise<void> => runMigration(env, sut, step);
  const rows = (sql: string): Promise<Array<Record<string, unknown>>> =>
    env.dataSource.query<Array<Record<string, unknown>>>(sql);
  const addUse = (orderId: string): Promise<unknown> =>
    env.dataSource.query(
      `INSERT INTO benefit_usage
         (benefit_id, member_id, order_id, level_id, order_amount_cents, amount_cents, status, used_on, used_at)
       VALUES (1, 7, ?, 1, 19900, 1000, 'used', CURRENT_DATE, NOW(3))`,
      [orderId],
    );

  beforeAll(async () => {
    env = await openIntegrationEnvBefore(benefitDatabase, OpaqueOrderIds1764028800340);
    await addUse('202611250001');
    await env.dataSource.query(
      'INSERT INTO benefit_order (order_id, cancelled) VALUES (202611250001, 1)',
    );
    await migrate('up');
  });

  afterAll(async () => {
    await env.close();
  });

  it('keeps every numeric id as its decimal text', async () => {
    await expect(rows('SELECT order_id FROM benefit_usage')).resolves.toEqual([
      { order_id: '202611250001' },
    ]);
    await expect(rows('SELECT order_id, cancelled FROM benefit_order')).resolves.toEqual([
      { order_id: '202611250001', cancelled: 1 },
    ]);
  });

  it('makes the id columns case-sensitive ASCII strings of 64 and keeps their keys', async () => {
    await expect(
      rows(
        `SELECT table_name AS tbl, column_type, collation_name FROM information_schema.columns
          WHERE table_schema = DATABASE() AND column_name = 'order_id' ORDER BY tbl`,
      ),
    ).resolves.toEqual(
      ['benefit_order', 'benefit_usage'].map((tbl) => ({
        tbl,
        column_type: 'varchar(64)',
        collation_name: 'ascii_bin',
      })),
    );
    await expect(
      rows(
        `SELECT CONCAT(table_name, '.', index_name) AS name, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
           FROM information_schema.statistics
          WHERE table_schema = DATABASE() AND index_name IN ('PRIMARY', 'uq_benefit_usage_order')
            AND table_name IN ('benefit_order', 'benefit_usage')
          GROUP BY table_name, index_name ORDER BY name`,
      ),
    ).resolves.toEqual([
      { name: 'benefit_order.PRIMARY', cols: 'order_id' },
      { name: 'benefit_usage.PRIMARY', cols: 'id' },
      { name: 'benefit_usage.uq_benefit_usage_order', cols: 'order_id,benefit_id' },
    ]);
  });

  it('keeps opaque ids as given and tells ids apart by case', async () => {
    await addUse('SO-2026-000123');
    await addUse('so-2026-000123');

    await expect(addUse('SO-2026-000123')).rejects.toThrow(/Duplicate entry/);
    await expect(
      rows("SELECT order_id FROM benefit_usage WHERE order_id LIKE '%-2026-%' ORDER BY order_id"),
    ).resolves.toEqual([{ order_id: 'SO-2026-000123' }, { order_id: 'so-2026-000123' }]);
  });

  it('refuses to go back while an id is not a number, and goes back once all are', async () => {
    await expect(migrate('down')).rejects.toThrow(/benefit_usage holds 2 non-numeric order_id/);

    await env.dataSource.query("DELETE FROM benefit_usage WHERE order_id LIKE '%-2026-%'");
    await migrate('down');

    await expect(rows('SELECT order_id FROM benefit_usage')).resolves.toEqual([
      { order_id: '202611250001' },
    ]);
  });
});
