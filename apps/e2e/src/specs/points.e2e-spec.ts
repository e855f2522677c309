import type {
  BalanceView,
  CheckInResult,
  Page,
  PointTransactionView,
  PointsResult,
} from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import { api, expectError, memberToken, nextUserId, waitForBalance } from '../support/api';
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

    const checkIn = await api<CheckInResult>('POST', '/api/v1/points/me/check-in', { token });
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
      { points: 5, orderId: 'x' },
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
