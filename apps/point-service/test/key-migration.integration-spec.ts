import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnvBefore, runMigration } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { ScopeLedgerKeysToMembers1764028800280 } from '../src/database/migrations/1764028800280-scope-ledger-keys-to-members';

/**
 * The upgrade to member-scoped keys on a ledger written before it: keys keep their operations,
 * bulk credits made before keep counting as made, order spends and holds keep their owners.
 */
describe(ScopeLedgerKeysToMembers1764028800280.name, () => {
  let env: IntegrationEnv;

  beforeAll(async () => {
    env = await openIntegrationEnvBefore(pointDatabase, ScopeLedgerKeysToMembers1764028800280);
  });

  afterAll(async () => {
    await env.close();
  });

  it('keeps every key, carries bulk credits over to their own keys, and records who owns each paid order', async () => {
    await env.dataSource.query(
      `INSERT INTO point_operation (kind, natural_key, member_id, transaction_id) VALUES
         ('earn:campaign', 'double-11-7', 7, 70), ('earn:batch', 'gift-7', 7, 71),
         ('earn:order', '5001', 7, 72), ('use:order', '5002', 7, 73), ('restore:order', '5003', 8, NULL)`,
    );
    await env.dataSource.query(
      `INSERT INTO point_hold (member_id, order_id, points, status, expires_at)
       VALUES (9, 5004, 10, 'reserved', NOW(3))`,
    );

    await runMigration(env, new ScopeLedgerKeysToMembers1764028800280(), 'up');

    const keys = await env.dataSource.query<
      Array<{ member_id: string; kind: string; natural_key: string; transaction_id: string | null }>
    >(
      'SELECT member_id, kind, natural_key, transaction_id FROM point_operation ORDER BY member_id, kind, natural_key',
    );
    expect(keys).toEqual([
      { member_id: '7', kind: 'batch:batch', natural_key: 'gift-7', transaction_id: '71' },
      { member_id: '7', kind: 'batch:campaign', natural_key: 'double-11-7', transaction_id: '70' },
      { member_id: '7', kind: 'earn:batch', natural_key: 'gift-7', transaction_id: '71' },
      { member_id: '7', kind: 'earn:campaign', natural_key: 'double-11-7', transaction_id: '70' },
      { member_id: '7', kind: 'earn:order', natural_key: '5001', transaction_id: '72' },
      { member_id: '7', kind: 'use:order', natural_key: '5002', transaction_id: '73' },
      { member_id: '8', kind: 'restore:order', natural_key: '5003', transaction_id: null },
    ]);
    const owners = await env.dataSource.query<Array<{ order_id: string; member_id: string }>>(
      'SELECT order_id, member_id FROM point_order_owner ORDER BY order_id',
    );
    expect(owners).toEqual([
      { order_id: '5002', member_id: '7' },
      { order_id: '5003', member_id: '8' },
      { order_id: '5004', member_id: '9' },
    ]);
  });
});
