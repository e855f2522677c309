import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnvBefore, runMigration } from '@member-system/shared/testing';
import { memberDatabase } from '../src/database/data-source';
import { OpaqueOrderIds1764028800120 } from '../src/database/migrations/1764028800120-opaque-order-ids';

/**
 * The upgrade to opaque order and refund ids on spending recorded with numeric ones: every id
 * keeps its decimal text, the keys still hold, and afterwards ids are kept as given,
 * case-sensitively.
 */
describe(OpaqueOrderIds1764028800120.name, () => {
  let env: IntegrationEnv;
  const sut = new OpaqueOrderIds1764028800120();

  const migrate = (step: 'up' | 'down'): Promise<void> => runMigration(env, sut, step);
  const rows = (sql: string): Promise<Array<Record<string, unknown>>> =>
    env.dataSource.query<Array<Record<string, unknown>>>(sql);
  const addOrder = (orderId: string, memberId: number): Promise<unknown> =>
    env.dataSource.query(
      `INSERT INTO member_order (order_id, member_id, amount_cents, level_before_id, level_after_id, completed_at)
       VALUES (?, ?, 19900, 1, 1, NOW(3))`,
      [orderId, memberId],
    );

  beforeAll(async () => {
    env = await openIntegrationEnvBefore(memberDatabase, OpaqueOrderIds1764028800120);
    await addOrder('18446744073709551615', 7);
    await env.dataSource.query(
      `INSERT INTO member_refund (refund_id, order_id, member_id, requested_cents, applied_cents)
       VALUES (77, 18446744073709551615, 7, 5000, 5000)`,
    );
    await migrate('up');
  });

  afterAll(async () => {
    await env.close();
  });

  it('keeps every numeric id as its decimal text', async () => {
    await expect(rows('SELECT order_id, member_id FROM member_order')).resolves.toEqual([
      { order_id: '18446744073709551615', member_id: '7' },
    ]);
    await expect(rows('SELECT refund_id, order_id FROM member_refund')).resolves.toEqual([
      { refund_id: '77', order_id: '18446744073709551615' },
    ]);
  });

  it('makes the id columns case-sensitive ASCII strings of 64 and keeps their keys', async () => {
    await expect(
      rows(
        `SELECT CONCAT(table_name, '.', column_name) AS col, column_type, collation_name
           FROM information_schema.columns
          WHERE table_schema = DATABASE()
            AND ((table_name IN ('member_order', 'member_refund') AND column_name IN ('order_id', 'refund_id'))
              OR (table_name = 'level_history' AND column_name = 'source_id'))
          ORDER BY col`,
      ),
    ).resolves.toEqual(
      [
        'level_history.source_id',
        'member_order.order_id',
        'member_refund.order_id',
        'member_refund.refund_id',
      ].map((col) => ({ col, column_type: 'varchar(64)', collation_name: 'ascii_bin' })),
    );
    await expect(
      rows(
        `SELECT CONCAT(table_name, '.', index_name) AS name, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
           FROM information_schema.statistics
          WHERE table_schema = DATABASE() AND table_name IN ('member_order', 'member_refund')
          GROUP BY table_name, index_name ORDER BY name`,
      ),
    ).resolves.toEqual([
      { name: 'member_order.ix_member_order_member', cols: 'member_id,completed_at' },
      { name: 'member_order.PRIMARY', cols: 'order_id' },
      { name: 'member_refund.ix_member_refund_order', cols: 'order_id' },
      { name: 'member_refund.PRIMARY', cols: 'refund_id' },
    ]);
  });

  it('keeps opaque ids as given and tells ids apart by case', async () => {
    await addOrder('SO-2026-000123', 7);
    await addOrder('so-2026-000123', 8);

    await expect(
      rows("SELECT member_id FROM member_order WHERE order_id = 'so-2026-000123'"),
    ).resolves.toEqual([{ member_id: '8' }]);
  });

  it('refuses to go back while an id is not a number, and goes back once all are', async () => {
    await expect(migrate('down')).rejects.toThrow(/member_order holds 2 non-numeric order_id/);

    await env.dataSource.query("DELETE FROM member_order WHERE order_id LIKE '%-2026-%'");
    await migrate('down');

    await expect(rows('SELECT refund_id, order_id FROM member_refund')).resolves.toEqual([
      { refund_id: '77', order_id: '18446744073709551615' },
    ]);
    await expect(
      rows(
        `SELECT column_type FROM information_schema.columns
          WHERE table_schema = DATABASE() AND table_name = 'member_order' AND column_name = 'order_id'`,
      ),
    ).resolves.toEqual([{ column_type: 'bigint(20) unsigned' }]);
  });
});
