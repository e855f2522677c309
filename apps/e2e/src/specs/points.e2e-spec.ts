import type {
  ExpiringLotView,
  HoldView,
  FreezeResult,
  BalanceView,
  CheckInResult,
  Page,
  PointTransactionView,
  PointsResult,
} from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import {
  api,
  expectError,
  memberToken,
  metricValue,
  nextUserId,
  token,
  waitForBalance,
} from '../support/api';
import type { PageBody } from '../support/api';
import { publishPlatformEvent } from '../support/events';

async function completeOrder(userId: string, orderId: string, amount: string): Promise<void> {
  await publishPlatformEvent('order.completed.v1', {
    orderId,
    userId,
    amount,
    currency: 'CNY',
    completedAt: new Date().toISOString(),
  });
}

async function balanceOnce(token: string, available: number): Promise<BalanceView> {
  return waitFor(
    async () => {
      const response = await api<BalanceView>('GET', '/api/v1/points/me/balance', { token });
      return response.status === 200 && response.body.available === available
        ? response.body
        : false;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: `a balance of ${available}` },
  );
}

describe('points through the gateway', () => {
  it('earns order points through the whole chain, at the level held when ordering', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);
    await api('POST', '/api/v1/members', { token, body: {} });
    await waitForBalance(token);

    await completeOrder(userId, String(Date.now()), '1200.00'); // lifts the member to Silver: earns at Regular (1.0)
    await balanceOnce(token, 1200);
    await completeOrder(userId, String(Date.now() + 1), '100.00'); // earns at Silver (1.2)
    const balance = await balanceOnce(token, 1320);

    expect(balance).toMatchObject({ lifetimeEarned: 1320, lifetimeUsed: 0 });
    expect(balance.expiringSoon.points).toBe(0);
  });

  it('checks in once a day, spends with one spend per order, and lists the history', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);
    await api('POST', '/api/v1/members', { token, body: {} });
    await waitForBalance(token);

    const balanceNow = async (): Promise<number> =>
      (await api<BalanceView>('GET', '/api/v1/points/me/balance', { token })).body.available;
    const hits = () =>
      metricValue('point-service', 'ms_cache_requests_total', {
        cache: 'member:points',
        result: 'redis_hit',
      });
    const hitsBefore = await hits();
    expect([await balanceNow(), await balanceNow()]).toEqual([0, 0]);
    expect(await hits()).toBeGreaterThan(hitsBefore); // the second read came from the cache
    const checkIn = await api<CheckInResult>('POST', '/api/v1/points/me/check-in', { token });
    expect(await balanceNow()).toBe(5);
    expect(checkIn.status).toBe(201);
    expect(checkIn.body).toMatchObject({ points: 5, streak: 1, balanceAfter: 5 });
    expectError(
      await api('POST', '/api/v1/points/me/check-in', { token }),
      409,
      'ALREADY_CHECKED_IN',
    );

    const orderId = String(Date.now());
    expectError(
      await api('POST', '/api/v1/points/me/use', { token, body: { points: 6, orderId } }),
      422,
      'POINTS_INSUFFICIENT',
    );
    const spent = await api<PointsResult>('POST', '/api/v1/points/me/use', {
      token,
      body: { points: 3, orderId },
    });
    expect(spent.status).toBe(200);
    expect(spent.body).toMatchObject({ points: 3, balanceAfter: 2 });
    expect(await balanceNow()).toBe(2);
    const replay = await api<PointsResult>('POST', '/api/v1/points/me/use', {
      token,
      body: { points: 3, orderId },
    });
    expect(replay.body).toEqual(spent.body);

    const history = await api<Page<PointTransactionView>>(
      'GET',
      '/api/v1/points/me/transactions?limit=10',
      { token },
    );
    expect(history.body.items.map((item) => [item.type, item.points, item.balanceAfter])).toEqual([
      ['use', -3, 2],
      ['earn', 5, 5],
    ]);
    const onlyEarned = await api<Page<PointTransactionView>>(
      'GET',
      '/api/v1/points/me/transactions?type=earn',
      { token },
    );
    expect(onlyEarned.body.items).toHaveLength(1);
  });

  it('rejects bad spends and bad history queries with the failing fields', async () => {
    const token = memberToken(nextUserId());
    for (const body of [
      { points: 0, orderId: '1' },
      { points: 1.5, orderId: '1' },
      { points: 5 },
      { points: 5, orderId: 'a b' },
      { points: 5, orderId: '1', extra: true },
    ]) {
      expectError(
        await api('POST', '/api/v1/points/me/use', { token, body }),
        400,
        'VALIDATION_FAILED',
      );
    }
    for (const query of [
      'limit=0',
      'limit=101',
      'type=gift',
      'from=yesterday',
      'cursor=',
      'foo=1',
    ]) {
      expectError(
        await api('GET', `/api/v1/points/me/transactions?${query}`, { token }),
        400,
        'VALIDATION_FAILED',
      );
    }
  });
});

describe('admin points through the gateway', () => {
  const admin = (...perms: string[]) => token({ sub: '1', roles: ['admin'], perms });

  it("adjusts a member's points once per idempotency key, and shows the balance and history to members:read", async () => {
    const userId = nextUserId();
    const memberBearer = memberToken(userId);
    const registered = await api<{ id: string }>('POST', '/api/v1/members', {
      token: memberBearer,
      body: {},
    });
    await waitForBalance(memberBearer);
    const path = `/api/v1/admin/members/${registered.body.id}/points`;
    const adjust = (points: number, key: string) =>
      api<PointsResult>('POST', `${path}/adjust`, {
        token: admin('points:adjust'),
        body: { points, reasonCode: 'COMPENSATION', note: 'Parcel lost' },
        headers: { 'Idempotency-Key': key },
      });

    expect((await adjust(100, 'adj-1')).body).toMatchObject({ points: 100, balanceAfter: 100 });
    expect((await adjust(100, 'adj-1')).body).toMatchObject({ points: 100, balanceAfter: 100 });
    // The answer carries the adjustment's sign, as its history row does.
    expect((await adjust(-30, 'adj-2')).body).toMatchObject({ points: -30, balanceAfter: 70 });
    expectError(await adjust(-500, 'adj-3'), 422, 'POINTS_INSUFFICIENT');

    const balance = await api<BalanceView>('GET', `${path}/balance`, {
      token: admin('members:read'),
    });
    expect(balance.body).toMatchObject({ available: 70, lifetimeEarned: 100, lifetimeUsed: 30 });
    const history = await api<Page<PointTransactionView>>('GET', `${path}/transactions`, {
      token: admin('members:read'),
    });
    expect(history.body.items.map((item) => [item.type, item.points])).toEqual([
      ['adjust', -30],
      ['adjust', 100],
    ]);
  });

  it("freezes and releases a member's points with points:adjust, once per idempotency key", async () => {
    const userId = nextUserId();
    const memberBearer = memberToken(userId);
    const registered = await api<{ id: string }>('POST', '/api/v1/members', {
      token: memberBearer,
      body: {},
    });
    await waitForBalance(memberBearer);
    const path = `/api/v1/admin/members/${registered.body.id}/points`;
    await api('POST', `${path}/adjust`, {
      token: admin('points:adjust'),
      body: { points: 100, reasonCode: 'COMPENSATION' },
    });
    const call = (
      action: 'freeze' | 'unfreeze',
      points: number,
      key: string,
      perms = ['points:adjust'],
    ) =>
      api<FreezeResult>('POST', `${path}/${action}`, {
        token: admin(...perms),
        body: { points, reason: 'Ticket 9031' },
        headers: { 'Idempotency-Key': key },
      });

    expectError(await call('freeze', 10, 'fr-0', ['members:read']), 403, 'FORBIDDEN');
    expectError(await call('freeze', 0, 'fr-0'), 400, 'VALIDATION_FAILED');
    const frozen = await call('freeze', 60, 'fr-1');
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({ points: 60, balanceAfter: 40, frozenAfter: 60 });
    expect((await call('freeze', 60, 'fr-1')).body).toEqual(frozen.body);
    expectError(await call('freeze', 41, 'fr-2'), 422, 'POINTS_INSUFFICIENT');
    expect((await balanceOnce(memberBearer, 40)).frozen).toBe(60);

    expectError(await call('unfreeze', 61, 'un-1'), 422, 'FROZEN_POINTS_INSUFFICIENT');
    expect((await call('unfreeze', 25, 'un-2')).body).toMatchObject({
      points: 25,
      freezeIds: frozen.body.freezeIds,
      balanceAfter: 65,
      frozenAfter: 35,
    });
    expectError(await call('unfreeze', 30, 'un-2'), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect((await balanceOnce(memberBearer, 65)).frozen).toBe(35);
  });

  it('credits a batch of thousands of items once each, and reports members without an account', async () => {
    const members: Array<{ id: string; bearer: string }> = [];
    for (let index = 0; index < 3; index += 1) {
      const bearer = memberToken(nextUserId());
      const registered = await api<{ id: string }>('POST', '/api/v1/members', {
        token: bearer,
        body: {},
      });
      await waitForBalance(bearer);
      members.push({ id: registered.body.id, bearer });
    }
    const batchId = String(Date.now());
    const items = Array.from({ length: 3000 }, (_, index) => ({
      memberId: (members[index % 3] as { id: string }).id,
      points: 1,
      source: 'campaign',
      sourceId: `batch-${batchId}-${index}`,
    }));
    items.push({
      memberId: '999999999',
      points: 5,
      source: 'campaign',
      sourceId: `batch-${batchId}-ghost`,
    });
    const send = () =>
      api<{ credited: number; duplicates: number; unknownMembers: string[]; points: number }>(
        'POST',
        '/api/v1/admin/points/earn-batch',
        { token: admin('points:adjust'), body: { items } },
      );

    const first = await send();
    const again = await send();

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      credited: 3000,
      duplicates: 0,
      unknownMembers: ['999999999'],
      points: 3000,
    });
    expect(again.body).toEqual({
      credited: 0,
      duplicates: 3000,
      unknownMembers: ['999999999'],
      points: 0,
    });
    for (const member of members) {
      const balance = await api<BalanceView>('GET', '/api/v1/points/me/balance', {
        token: member.bearer,
      });
      expect(balance.body.available).toBe(1000);
    }
    expectError(
      await api('POST', '/api/v1/admin/points/earn-batch', {
        token: memberToken(nextUserId()),
        body: { items: items.slice(0, 1) },
      }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('POST', '/api/v1/admin/points/earn-batch', {
        token: admin('points:adjust'),
        body: { items: [] },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses admin point routes to members and to admins without the permission', async () => {
    const path = '/api/v1/admin/members/1/points';
    const body = { points: 10, reasonCode: 'GIFT' };
    expectError(
      await api('POST', `${path}/adjust`, { token: memberToken(nextUserId()), body }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('POST', `${path}/adjust`, { token: admin('members:read'), body }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('GET', `${path}/balance`, { token: admin('points:adjust') }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('POST', `${path}/adjust`, {
        token: admin('points:adjust'),
        body: { ...body, points: 0 },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('POST', `${path}/adjust`, {
        token: admin('points:adjust'),
        body: { ...body, reasonCode: 'gift' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('GET', '/api/v1/admin/members/x/points/balance', { token: admin('members:read') }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('GET', '/api/v1/admin/members/999999999/points/balance', {
        token: admin('members:read'),
      }),
      404,
      'POINT_ACCOUNT_NOT_FOUND',
    );
  });
});

describe('expiring points through the gateway', () => {
  it('lists the lots that expire within the window, soonest first', async () => {
    const userId = nextUserId();
    const bearer = memberToken(userId);
    await api('POST', '/api/v1/members', { token: bearer, body: {} });
    await waitForBalance(bearer);
    await api('POST', '/api/v1/points/me/check-in', { token: bearer });

    const soon = await api<PageBody<ExpiringLotView>>('GET', '/api/v1/points/me/expiring?days=30', {
      token: bearer,
    });
    const tooFar = await api('GET', '/api/v1/points/me/expiring?days=1001', { token: bearer });
    const withinWindow = await api<PageBody<ExpiringLotView>>(
      'GET',
      '/api/v1/points/me/expiring?days=1000',
      { token: bearer },
    );

    expect(soon.body).toEqual({ items: [], nextCursor: null });
    expectError(tooFar, 400, 'VALIDATION_FAILED');
    expect(withinWindow.body).toEqual({
      items: [expect.objectContaining({ points: 5, source: 'check-in' })],
      nextCursor: null,
    });
  });
});

describe('checkout holds through the gateway', () => {
  const service = token({ sub: '9000', roles: ['service'], perms: [] });
  const admin = token({ sub: '1', roles: ['admin'], perms: ['points:adjust'] });

  it('lets a member, or a service naming the member, reserve, capture and release holds', async () => {
    const userId = nextUserId();
    const bearer = memberToken(userId);
    const registered = await api<{ id: string }>('POST', '/api/v1/members', {
      token: bearer,
      body: {},
    });
    await waitForBalance(bearer);
    await api('POST', `/api/v1/admin/members/${registered.body.id}/points/adjust`, {
      token: admin,
      body: { points: 100, reasonCode: 'COMPENSATION' },
    });

    const byService = await api<HoldView>('POST', '/api/v1/points/me/holds', {
      token: service,
      body: { memberId: registered.body.id, points: 30, orderId: String(Date.now()) },
    });
    expect(byService.status).toBe(201);
    const captured = await api<PointsResult>(
      'POST',
      `/api/v1/points/me/holds/${byService.body.holdId}/capture`,
      { token: service, body: { memberId: registered.body.id } },
    );
    expect(captured.body).toMatchObject({ points: 30, balanceAfter: 70 });

    const byMember = await api<HoldView>('POST', '/api/v1/points/me/holds', {
      token: bearer,
      body: { points: 20, orderId: String(Date.now() + 1) },
    });
    const released = await api<HoldView>(
      'POST',
      `/api/v1/points/me/holds/${byMember.body.holdId}/release`,
      { token: bearer },
    );
    expect(released.body.status).toBe('released');
    expect((await balanceOnce(bearer, 70)).held).toBe(0);

    expectError(
      await api('POST', '/api/v1/points/me/holds', {
        token: service,
        body: { points: 5, orderId: String(Date.now() + 2) },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('POST', '/api/v1/points/me/holds', {
        token: bearer,
        body: { memberId: registered.body.id, points: 5, orderId: String(Date.now() + 3) },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('GET', '/api/v1/points/me/balance', { token: service }),
      403,
      'FORBIDDEN',
    );
  });
});
