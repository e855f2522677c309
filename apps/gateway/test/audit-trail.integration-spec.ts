import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { GENESIS_HASH, chainHash } from '../src/audit/audit-chain';
import { AuditAction, AuditTrail } from '../src/audit/audit-trail';
import type { AuditEntry } from '../src/audit/audit-trail';
import { gatewayDatabase } from '../src/database/data-source';

const operator = { userId: '77', ip: '10.0.0.7', userAgent: 'admin-console/1.0' };

function entry(n: number): AuditEntry {
  return {
    action: n % 2 === 0 ? AuditAction.RevealMemberPii : AuditAction.EraseMember,
    operator,
    targetMemberId: String(1000 + n),
    before: n % 2 === 0 ? undefined : { erased: false },
    after: n % 2 === 0 ? { revealed: ['phone', 'email'] } : { erased: true },
    outcome: 'succeeded',
    correlationId: `corr-${n}`,
  };
}

describe(AuditTrail.name, () => {
  let env: IntegrationEnv;
  let sut: AuditTrail;

  beforeEach(async () => {
    env = await openIntegrationEnv(gatewayDatabase);
    sut = new AuditTrail(env.dataSource);
  });

  afterEach(async () => {
    await env.close();
  });

  it('chains each record to the one before it, from the genesis hash', async () => {
    const refs = [];
    for (let n = 0; n < 3; n += 1) refs.push(await sut.record(entry(n)));

    const rows = await env.dataSource.query<Array<Record<string, unknown>>>(
      'SELECT id, prev_hash, hash, operator_user_id, action, target_member_id, before_json, after_json, ip, user_agent, correlation_id, outcome FROM audit_record ORDER BY id',
    );
    expect(rows.map((row) => row['prev_hash'])).toEqual([
      GENESIS_HASH,
      refs[0]?.hash,
      refs[1]?.hash,
    ]);
    expect(rows[1]).toMatchObject({
      operator_user_id: '77',
      action: 'member.erase',
      target_member_id: '1001',
      before_json: '{"erased":false}',
      after_json: '{"erased":true}',
      ip: '10.0.0.7',
      user_agent: 'admin-console/1.0',
      correlation_id: 'corr-1',
      outcome: 'succeeded',
    });
    await expect(sut.verify()).resolves.toEqual({
      valid: true,
      records: 3,
      lastHash: refs[2]?.hash,
    });
  });

  it('keeps one unbroken chain when many records are appended at once', async () => {
    await Promise.all(Array.from({ length: 25 }, (_, n) => sut.record(entry(n))));

    await expect(sut.verify(7)).resolves.toMatchObject({ valid: true, records: 25 });
  });

  it('verifies an empty trail', async () => {
    await expect(sut.verify()).resolves.toEqual({
      valid: true,
      records: 0,
      lastHash: GENESIS_HASH,
    });
  });

  it('detects a record whose after_json was edited in SQL', async () => {
    for (let n = 0; n < 4; n += 1) await sut.record(entry(n));
    const [second] = await env.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM audit_record ORDER BY id LIMIT 1 OFFSET 1',
    );

    await env.dataSource.query(
      `UPDATE audit_record SET after_json = '{"erased":false}' WHERE id = ?`,
      [second?.id],
    );

    await expect(sut.verify()).resolves.toEqual({
      valid: false,
      records: 1,
      brokenAtId: second?.id,
      reason: 'the record was changed',
    });
  });

  it('detects a record edited with its own hash recomputed, at the record after it', async () => {
    for (let n = 0; n < 3; n += 1) await sut.record(entry(n));
    const [first, second] = await env.dataSource.query<
      Array<{ id: string; occurred_at: Date; after_json: string }>
    >('SELECT id, occurred_at, after_json FROM audit_record ORDER BY id');
    const forged = chainHash(GENESIS_HASH, {
      occurredAt: first?.occurred_at ?? new Date(),
      operatorUserId: '77',
      action: AuditAction.RevealMemberPii,
      targetMemberId: '1000',
      beforeJson: null,
      afterJson: first?.after_json ?? null,
      ip: '10.0.0.7',
      userAgent: 'admin-console/1.0',
      correlationId: 'corr-0',
      outcome: 'refused',
    });

    await env.dataSource.query(
      `UPDATE audit_record SET outcome = 'refused', hash = ? WHERE id = ?`,
      [forged, first?.id],
    );

    await expect(sut.verify()).resolves.toEqual({
      valid: false,
      records: 1,
      brokenAtId: second?.id,
      reason: 'a record before it is missing or was changed',
    });
  });

  it('detects a deleted record, in the middle or at the end', async () => {
    for (let n = 0; n < 3; n += 1) await sut.record(entry(n));
    const [, second, third] = await env.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM audit_record ORDER BY id',
    );

    await env.dataSource.query('DELETE FROM audit_record WHERE id = ?', [third?.id]);
    await expect(sut.verify()).resolves.toMatchObject({
      valid: false,
      brokenAtId: null,
      reason: 'records at the end are missing',
    });

    await env.dataSource.query('DELETE FROM audit_record WHERE id = ?', [second?.id]);
    await sut.record(entry(9));
    const [next] = await env.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM audit_record ORDER BY id DESC LIMIT 1',
    );
    await expect(sut.verify()).resolves.toMatchObject({ valid: false, brokenAtId: next?.id });
  });
});
