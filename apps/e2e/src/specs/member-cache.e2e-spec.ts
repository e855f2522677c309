import type { MemberView } from '@member-system/contracts';
import type { RunningApp } from '@member-system/shared/testing';
import { freePort, startApp, stopApp, waitFor } from '@member-system/shared/testing';
import { api, memberToken, metricValue, nextUserId } from '../support/api';
import { publishPlatformEvent } from '../support/events';
import { fleetInfo } from '../support/fleet';

/**
 * Two member-service instances share the `member.rpc` queue, so consecutive reads land on both,
 * each with its own in-process cache level. Writes must be visible at once on either.
 */
describe('member cache with two member-service instances', () => {
  let second: RunningApp;

  beforeAll(async () => {
    second = await startApp('member-service', fleetInfo().env['member-service'], await freePort());
  });

  afterAll(async () => {
    await stopApp(second);
  });

  async function readMe(userId: string, times: number): Promise<MemberView[]> {
    const views: MemberView[] = [];
    for (let index = 0; index < times; index += 1) {
      const response = await api<MemberView>('GET', '/api/v1/members/me', {
        token: memberToken(userId),
      });
      expect(response.status).toBe(200);
      views.push(response.body);
    }
    return views;
  }

  it('shows a profile update at once on every read, whichever instance answers', async () => {
    const userId = nextUserId();
    const token = memberToken(userId);
    await api('POST', '/api/v1/members', { token, body: { nickname: 'Before' } });
    await readMe(userId, 6); // both instances now hold the profile in both cache levels

    for (const nickname of ['After', 'Again', 'Last']) {
      const patched = await api<MemberView>('PATCH', '/api/v1/members/me', {
        token,
        body: { nickname },
      });
      expect(patched.body.nickname).toBe(nickname);
      const views = await readMe(userId, 6);
      expect(views.map((view) => view.nickname)).toEqual(Array(6).fill(nickname));
    }
    const secondInstanceHits = await metricValue(second.port, 'ms_cache_requests_total', {
      cache: 'member:info',
    });
    expect(secondInstanceHits).toBeGreaterThan(0);
  });

  it('shows a new total spent as soon as the order is credited', async () => {
    const userId = nextUserId();
    await api('POST', '/api/v1/members', { token: memberToken(userId), body: {} });
    await readMe(userId, 4);

    await publishPlatformEvent('order.completed.v1', {
      orderId: String(Date.now()),
      userId,
      amount: '1200.00',
      currency: 'CNY',
      completedAt: new Date().toISOString(),
    });

    const credited = await waitFor(
      async () => {
        const [view] = await readMe(userId, 1);
        return view?.totalSpent === '1200.00' ? view : false;
      },
      { timeoutMs: 15_000, what: 'the credited order' },
    );
    expect(credited.level.id).toBe(2);
    const views = await readMe(userId, 6);
    expect(views.map((view) => [view.totalSpent, view.level.id])).toEqual(
      Array(6).fill(['1200.00', 2]),
    );
  });
});
