import type { AuditRecordView, Page } from '@member-system/contracts';
import { api, expectError, memberToken, nextUserId, token, waitForBalance } from '../support/api';

const operator = token({ sub: '31', roles: ['admin'], perms: ['points:adjust', 'members:write'] });
const auditor = token({ sub: '32', roles: ['admin'], perms: ['audit:read'] });

async function newMemberId(): Promise<string> {
  const bearer = memberToken(nextUserId());
  const registered = await api<{ id: string }>('POST', '/api/v1/members', {
    token: bearer,
    body: {},
  });
  await waitForBalance(bearer);
  return registered.body.id;
}

const recordsOf = async (memberId: string): Promise<AuditRecordView[]> =>
  (
    await api<Page<AuditRecordView>>('GET', `/api/v1/admin/audit?memberId=${memberId}&limit=100`, {
      token: auditor,
    })
  ).body.items;

describe('audit of admin writes', () => {
  it('records each admin write before it runs and then its outcome, with who, where and what', async () => {
    const memberId = await newMemberId();
    const adjusted = await api('POST', `/api/v1/admin/members/${memberId}/points/adjust`, {
      token: operator,
      body: { points: 25, reasonCode: 'COMPENSATION', note: 'Parcel lost' },
      headers: { 'user-agent': 'audit-e2e' },
    });
    expect(adjusted.status).toBe(200);

    const records = await recordsOf(memberId);
    const action = 'POST /admin/members/:memberId/points/adjust';
    expect(records.map((record) => [record.action, record.outcome])).toEqual([
      [action, 'succeeded'],
      [action, 'attempted'],
    ]);
    const [succeeded, attempted] = records as [AuditRecordView, AuditRecordView];
    expect(attempted).toMatchObject({
      operatorId: '31',
      targetMemberId: memberId,
      before: { points: 25, reasonCode: 'COMPENSATION', note: 'Parcel lost' },
      userAgent: 'audit-e2e',
      correlationId: adjusted.headers.get('x-correlation-id'),
    });
    expect(attempted.ip).toEqual(expect.any(String));
    expect(succeeded.after).toMatchObject({ points: 25, balanceAfter: 25 });
  });

  it('records a failed write as failed, never as succeeded', async () => {
    const memberId = await newMemberId();
    expectError(
      await api('POST', `/api/v1/admin/members/${memberId}/points/adjust`, {
        token: operator,
        body: { points: -500, reasonCode: 'CORRECTION' },
      }),
      422,
      'POINTS_INSUFFICIENT',
    );

    const records = await recordsOf(memberId);
    expect(records.map((record) => record.outcome)).toEqual(['failed', 'attempted']);
    expect(records[0]?.after).toEqual({ error: 'POINTS_INSUFFICIENT' });
  });

  it('filters by operator and action, pages newest first, verifies the chain, and is for audit:read only', async () => {
    const memberId = await newMemberId();
    for (const points of [1, 2, 3]) {
      await api('POST', `/api/v1/admin/members/${memberId}/points/adjust`, {
        token: operator,
        body: { points, reasonCode: 'COMPENSATION' },
      });
    }
    const action = encodeURIComponent('POST /admin/members/:memberId/points/adjust');
    const first = await api<Page<AuditRecordView>>(
      'GET',
      `/api/v1/admin/audit?memberId=${memberId}&operatorId=31&action=${action}&limit=4`,
      { token: auditor },
    );
    expect(first.body.items).toHaveLength(4);
    expect(first.body.nextCursor).not.toBeNull();
    const rest = await api<Page<AuditRecordView>>(
      'GET',
      `/api/v1/admin/audit?memberId=${memberId}&limit=4&cursor=${first.body.nextCursor}`,
      { token: auditor },
    );
    expect(rest.body.items).toHaveLength(2);
    const ids = [...first.body.items, ...rest.body.items].map((record) => Number(record.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const verified = await api<{ valid: boolean }>('GET', '/api/v1/admin/audit/verify', {
      token: auditor,
    });
    expect(verified.body.valid).toBe(true);
    expectError(await api('GET', '/api/v1/admin/audit', { token: operator }), 403, 'FORBIDDEN');
    expectError(
      await api('GET', '/api/v1/admin/audit?from=yesterday', { token: auditor }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
