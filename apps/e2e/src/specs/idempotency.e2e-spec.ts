import type { BenefitView, EarnBatchResult, PointsResult } from '@member-system/contracts';
import {
  allPages,
  api,
  expectError,
  memberToken,
  nextUserId,
  token,
  waitForBalance,
} from '../support/api';

const benefitsAdmin = token({ sub: '41', roles: ['admin'], perms: ['benefits:write'] });
const pointsAdmin = token({ sub: '42', roles: ['admin'], perms: ['points:adjust'] });

async function newMember(): Promise<{ id: string; bearer: string }> {
  const bearer = memberToken(nextUserId());
  const registered = await api<{ id: string }>('POST', '/api/v1/members', {
    token: bearer,
    body: {},
  });
  await waitForBalance(bearer);
  return { id: registered.body.id, bearer };
}

const keyOf = (name: string): string =>
  `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe('Idempotency-Key', () => {
  it('runs a write once per key and replays its first answer, status and body', async () => {
    const key = keyOf('create-benefit');
    const body = { type: 'FREE_SHIPPING', levelId: 77, name: 'Replayed once', params: {} };
    const create = () =>
      api<BenefitView>('POST', '/api/v1/admin/benefits', {
        token: benefitsAdmin,
        body,
        headers: { 'Idempotency-Key': key },
      });

    const first = await create();
    const replay = await create();

    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const listed = await allPages<BenefitView>('/api/v1/admin/benefits?levelId=77', benefitsAdmin);
    expect(listed.items.filter((benefit) => benefit.name === 'Replayed once')).toHaveLength(1);
    await api('DELETE', `/api/v1/admin/benefits/${first.body.id}`, { token: benefitsAdmin });
  });

  it('refuses the same key with another body (422) and keeps keys of different callers apart', async () => {
    const key = keyOf('reuse');
    const member = await newMember();
    const other = await newMember();
    const adjust = (memberId: string, points: number, bearer = pointsAdmin) =>
      api<PointsResult>('POST', `/api/v1/admin/members/${memberId}/points/adjust`, {
        token: bearer,
        body: { points, reasonCode: 'COMPENSATION' },
        headers: { 'Idempotency-Key': key },
      });

    expect((await adjust(member.id, 10)).status).toBe(200);
    expectError(await adjust(member.id, 11), 422, 'IDEMPOTENCY_KEY_REUSED');
    expectError(await adjust(other.id, 10), 422, 'IDEMPOTENCY_KEY_REUSED');
    // Another admin's key of the same name is theirs alone.
    const anotherAdmin = token({ sub: '43', roles: ['admin'], perms: ['points:adjust'] });
    expect((await adjust(other.id, 10, anotherAdmin)).status).toBe(200);

    const balances = await Promise.all(
      [member, other].map((who) =>
        api<{ available: number }>('GET', '/api/v1/points/me/balance', { token: who.bearer }),
      ),
    );
    expect(balances.map((balance) => balance.body.available)).toEqual([10, 10]);
  });

  it('answers 409 REQUEST_IN_PROGRESS while the first request with the key still runs', async () => {
    const member = await newMember();
    const key = keyOf('batch');
    const items = Array.from({ length: 5000 }, (_, index) => ({
      memberId: member.id,
      points: 1,
      source: 'campaign',
      sourceId: `${key}-${index}`,
    }));
    const batch = () =>
      api<EarnBatchResult>('POST', '/api/v1/admin/points/earn-batch', {
        token: pointsAdmin,
        body: { items },
        headers: { 'Idempotency-Key': key },
      });

    const first = batch();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const meanwhile = await batch();
    const done = await first;

    expectError(meanwhile, 409, 'REQUEST_IN_PROGRESS');
    expect(done.body).toMatchObject({ credited: 5000, duplicates: 0 });
    expect((await batch()).body).toEqual(done.body);
  });

  it('replays a refusal as it was, even after the cause went away', async () => {
    const member = await newMember();
    const key = keyOf('spend');
    const orderId = String(Date.now());
    const spend = () =>
      api('POST', '/api/v1/points/me/use', {
        token: member.bearer,
        body: { points: 5, orderId },
        headers: { 'Idempotency-Key': key },
      });

    expectError(await spend(), 422, 'POINTS_INSUFFICIENT');
    await api('POST', `/api/v1/admin/members/${member.id}/points/adjust`, {
      token: pointsAdmin,
      body: { points: 50, reasonCode: 'COMPENSATION' },
    });
    const replay = await spend();

    expectError(replay, 422, 'POINTS_INSUFFICIENT');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('rejects a malformed key with 400', async () => {
    const member = await newMember();
    expectError(
      await api('POST', '/api/v1/points/me/check-in', {
        token: member.bearer,
        headers: { 'Idempotency-Key': 'x'.repeat(129) },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
