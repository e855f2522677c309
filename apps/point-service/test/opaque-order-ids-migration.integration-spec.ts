import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnvBefore, runMigration } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { OpaqueOrderIds1764028800290 } from '../src/database/migrations/1764028800290-opaque-order-ids';

/**
 * The upgrade to opaque order and refund ids on a ledger written with numeric ones: every id keeps
 * its decimal text, the keys still hold, and afterwards ids are kept as given, case-sensitively.
 */
describe(OpaqueOrderIds1764028800290.name, () => {
  let env: IntegrationEnv;
  const sut = new OpaqueOrderIds1764028800290();

  const migrate = (step: 'up' | 'down'): Promise<void> => runMigration(env, sut, step);
  const rows = (sql: string): Promise<Array<Record<string, unknown>>> =>
    env.dataSource.query<Array<Record<string, unknown>>>(sql);

  beforeAll(async () => {
    env = await openIntegrationEnvBefore(pointDatabase, OpaqueOrderIds1764028800290);
    await env.dataSource.query(
      `INSERT INTO point_hold (member_id, order_id, points, status, expires_at)
       VALUES (7, 18446744073709551615, 10, 'reserved', NOW(3))`,
    );
    await env.dataSource.query(
      'INSERT INTO point_order_earn (order_id, member_id, amount_cents, points) VALUES (5001, 7, 19900, 199)',
    );
    await env.dataSource.query(
      `INSERT INTO point_freeze (member_id, points, status, reason, order_id, refund_id)
       VALUES (7, 50, 'frozen', 'refund-requested', 5001, 77), (7, 5, 'frozen', 'admin', NULL, NULL)`,
    );
    await env.dataSource.query(
      "INSERT INTO point_order_owner (order_id, member_id) VALUES ('5002', 7)",
    );
    await env.dataSource.query(
      "INSERT INTO point_operation (kind, natural_key, member_id) VALUES ('earn:order', '5001', 7)",
    );
    await migrate('up');
  });

  afterAll(async () => {
    await env.close();
  });

  it('keeps every numeric id as its decimal text', async () => {
    await expect(rows('SELECT order_id FROM point_hold')).resolves.toEqual([
      { order_id: '18446744073709551615' },
    ]);
    await expect(rows('SELECT order_id, member_id FROM point_order_earn')).resolves.toEqual([
      { order_id: '5001', member_id: '7' },
    ]);
    await expect(rows('SELECT order_id, refund_id FROM point_freeze ORDER BY id')).resolves.toEqual(
      [
        { order_id: '5001', refund_id: '77' },
        { order_id: null, refund_id: null },
      ],
    );
    await expect(rows('SELECT order_id FROM point_order_owner')).resolves.toEqual([
      { order_id: '5002' },
    ]);
  });

  it('makes the id columns case-sensitive ASCII strings of 64 and keeps their keys', async () => {
    const columns = await rows(
      `SELECT CONCAT(table_name, '.', column_name) AS col, column_type, collation_name
         FROM information_schema.columns
        WHERE table_schema = DATABASE() AND column_name IN ('order_id', 'refund_id')
          AND table_name IN ('point_hold', 'point_order_earn', 'point_freeze', 'point_order_owner')
        ORDER BY col`,
    );
    expect(columns).toEqual(
      [
        'point_freeze.order_id',
        'point_freeze.refund_id',
        'point_hold.order_id',
        'point_order_earn.order_id',
        'point_order_owner.order_id',
      ].map((col) => ({ col, column_type: 'varchar(64)', collation_name: 'ascii_bin' })),
    );
    const keys = await rows(
      `SELECT CONCAT(table_name, '.', index_name) AS name, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
         FROM information_schema.statistics
        WHERE table_schema = DATABASE()
          AND index_name IN ('uq_point_hold_order', 'uq_point_freeze_refund', 'PRIMARY')
          AND table_name IN ('point_hold', 'point_order_earn', 'point_freeze', 'point_order_owner', 'point_operation')
        GROUP BY table_name, index_name ORDER BY name`,
    );
    expect(keys).toEqual([
      { name: 'point_freeze.PRIMARY', cols: 'id' },
      { name: 'point_freeze.uq_point_freeze_refund', cols: 'member_id,refund_id' },
      { name: 'point_hold.PRIMARY', cols: 'id' },
      { name: 'point_hold.uq_point_hold_order', cols: 'order_id' },
      { name: 'point_operation.PRIMARY', cols: 'member_id,kind,natural_key' },
      { name: 'point_order_earn.PRIMARY', cols: 'member_id,order_id' },
      { name: 'point_order_owner.PRIMARY', cols: 'order_id' },
    ]);
  });

  it('keeps opaque ids as given and tells ids apart by case', async () => {
    await env.dataSource.query(
      "INSERT INTO point_order_owner (order_id, member_id) VALUES ('SO-2026-000123', 7), ('so-2026-000123', 8)",
    );
    await env.dataSource.query(
      "INSERT INTO point_operation (kind, natural_key, member_id) VALUES ('use:order', 'SO-1', 7), ('use:order', 'so-1', 7)",
    );

    await expect(
      rows("SELECT member_id FROM point_order_owner WHERE order_id = 'so-2026-000123'"),
    ).resolves.toEqual([{ member_id: '8' }]);
    await expect(
      rows("SELECT natural_key FROM point_operation WHERE kind = 'use:order' ORDER BY natural_key"),
    ).resolves.toEqual([{ natural_key: 'SO-1' }, { natural_key: 'so-1' }]);
  });

  it('refuses to go back while an id is not a number, and goes back once all are', async () => {
    await env.dataSource.query(
      `INSERT INTO point_hold (member_id, order_id, points, status, expires_at)
       VALUES (7, '3f2b8c1e-6a4d-4f1b-9c3e-2a7d5e8f9b10', 10, 'reserved', NOW(3))`,
    );

    await expect(migrate('down')).rejects.toThrow(/point_hold holds 1 non-numeric order_id/);

    await env.dataSource.query("DELETE FROM point_hold WHERE order_id LIKE '3f2b%'");
    await env.dataSource.query(
      "DELETE FROM point_order_owner WHERE order_id LIKE 'so-%' OR order_id LIKE 'SO-%'",
    );
    await env.dataSource.query("DELETE FROM point_operation WHERE natural_key LIKE 'so-%'");
    await migrate('down');

    await expect(
      rows(
        `SELECT column_type FROM information_schema.columns
          WHERE table_schema = DATABASE() AND table_name = 'point_hold' AND column_name = 'order_id'`,
      ),
    ).resolves.toEqual([{ column_type: 'bigint(20) unsigned' }]);
    await expect(rows('SELECT order_id FROM point_hold')).resolves.toEqual([
      { order_id: '18446744073709551615' },
    ]);
    await expect(rows('SELECT order_id FROM point_order_earn')).resolves.toEqual([
      { order_id: '5001' },
    ]);
  });
});
