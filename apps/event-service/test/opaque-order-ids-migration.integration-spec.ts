import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnvBefore, runMigration } from '@member-system/shared/testing';
import { eventDatabase } from '../src/database/data-source';
import { OpaqueOrderIds1764028800420 } from '../src/database/migrations/1764028800420-opaque-order-ids';

/**
 * The upgrade to opaque order ids on participations completed by numeric ones: every id keeps its
 * decimal text, and afterwards ids are kept as given.
 */
describe(OpaqueOrderIds1764028800420.name, () => {
  let env: IntegrationEnv;
  const sut = new OpaqueOrderIds1764028800420();

  const migrate = (step: 'up' | 'down'): Promise<void> => runMigration(env, sut, step);
  const rows = (sql: string): Promise<Array<Record<string, unknown>>> =>
    env.dataSource.query<Array<Record<string, unknown>>>(sql);
  const addParticipation = (memberId: number, orderId: string | null): Promise<unknown> =>
    env.dataSource.query(
      `INSERT INTO participation (campaign_id, member_id, user_id, round, status, order_id, joined_at)
       VALUES (1, ?, ?, 1, 'completed', ?, NOW(3))`,
      [memberId, memberId + 1000, orderId],
    );

  beforeAll(async () => {
    env = await openIntegrationEnvBefore(eventDatabase, OpaqueOrderIds1764028800420);
    await addParticipation(7, '18446744073709551615');
    await addParticipation(8, null);
    await migrate('up');
  });

  afterAll(async () => {
    await env.close();
  });

  it('keeps every numeric id as its decimal text, in a case-sensitive ASCII column', async () => {
    await expect(
      rows('SELECT member_id, order_id FROM participation ORDER BY member_id'),
    ).resolves.toEqual([
      { member_id: '7', order_id: '18446744073709551615' },
      { member_id: '8', order_id: null },
    ]);
    await expect(
      rows(
        `SELECT column_type, collation_name, column_comment FROM information_schema.columns
          WHERE table_schema = DATABASE() AND table_name = 'participation' AND column_name = 'order_id'`,
      ),
    ).resolves.toEqual([
      {
        column_type: 'varchar(64)',
        collation_name: 'ascii_bin',
        column_comment: 'the order that completed it',
      },
    ]);
  });

  it('refuses to go back while an id is not a number, and goes back once all are', async () => {
    await addParticipation(9, '3f2b8c1e-6a4d-4f1b-9c3e-2a7d5e8f9b10');

    await expect(migrate('down')).rejects.toThrow(/participation holds 1 non-numeric order_id/);

    await env.dataSource.query('DELETE FROM participation WHERE member_id = 9');
    await migrate('down');

    await expect(
      rows('SELECT member_id, order_id FROM participation ORDER BY member_id'),
    ).resolves.toEqual([
      { member_id: '7', order_id: '18446744073709551615' },
      { member_id: '8', order_id: null },
    ]);
  });
});
