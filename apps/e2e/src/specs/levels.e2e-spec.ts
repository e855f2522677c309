import type { LevelProgressView, LevelView, MemberView } from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import { api, expectError, memberToken, nextUserId, token } from '../support/api';
import type { PageBody } from '../support/api';
import { runToEnd } from '../support/admin-jobs';
import { publishPlatformEvent } from '../support/events';

const admin = (...perms: string[]) => token({ sub: '1', roles: ['admin'], perms });

async function completeOrder(userId: string, amount: string): Promise<void> {
  await publishPlatformEvent('order.completed.v1', {
    orderId: String(Date.now() * 1000 + Math.floor(Math.random() * 1000)),
    userId,
    amount,
    currency: 'CNY',
    completedAt: new Date().toISOString(),
  });
}

async function progressOf(userId: string, totalSpent: string): Promise<LevelProgressView> {
  return waitFor(
    async () => {
      const response = await api<LevelProgressView>('GET', '/api/v1/members/me/level-progress', {
        token: memberToken(userId),
      });
      return response.status === 200 && response.body.totalSpent === totalSpent
        ? response.body
        : false;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: `total spent ${totalSpent}` },
  );
}

describe('levels through the gateway', () => {
  it('lists the default ladder', async () => {
    const response = await api<PageBody<LevelView>>('GET', '/api/v1/levels', {
      token: memberToken(nextUserId()),
    });

    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items).toEqual([
      { id: 1, name: '普通会员 Regular', minTotalSpent: '0.00' },
      { id: 2, name: '白银 Silver', minTotalSpent: '1000.00' },
      { id: 3, name: '黄金 Gold', minTotalSpent: '5000.00' },
      { id: 4, name: '铂金 Platinum', minTotalSpent: '20000.00' },
      { id: 5, name: '钻石 Diamond', minTotalSpent: '50000.00' },
    ]);
  });

  it('climbs the ladder as completed orders arrive and shows the progress to the next level', async () => {
    const userId = nextUserId();
    await api('POST', '/api/v1/members', { token: memberToken(userId), body: {} });

    await completeOrder(userId, '800.00');
    await completeOrder(userId, '700.00');

    await expect(progressOf(userId, '1500.00')).resolves.toEqual({
      currentLevel: { id: 2, name: '白银 Silver' },
      nextLevel: { id: 3, name: '黄金 Gold' },
      totalSpent: '1500.00',
      qualifyingSpend: '1500.00',
      nextLevelThreshold: '5000.00',
      remaining: '3500.00',
      percent: 12,
    });
    const me = await api<MemberView>('GET', '/api/v1/members/me', { token: memberToken(userId) });
    expect(me.body).toMatchObject({ level: { id: 2, name: '白银 Silver' }, totalSpent: '1500.00' });
  });

  it("lets an admin with members:write set a member's level, and nobody else", async () => {
    const userId = nextUserId();
    const registered = await api<MemberView>('POST', '/api/v1/members', {
      token: memberToken(userId),
      body: {},
    });
    const path = `/api/v1/admin/members/${registered.body.id}/level`;
    const body = { levelId: 4, reason: 'Key account, agreed by sales' };

    expectError(await api('PUT', path, { token: memberToken(userId), body }), 403, 'FORBIDDEN');
    expectError(await api('PUT', path, { token: admin('members:read'), body }), 403, 'FORBIDDEN');
    expectError(
      await api('PUT', path, { token: admin('members:write'), body: { levelId: 4 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('PUT', path, { token: admin('members:write'), body: { ...body, levelId: 99 } }),
      404,
      'LEVEL_NOT_FOUND',
    );
    expectError(
      await api('PUT', '/api/v1/admin/members/abc/level', { token: admin('members:write'), body }),
      400,
    );

    const updated = await api<MemberView>('PUT', path, { token: admin('members:write'), body });
    expect(updated.status).toBe(200);
    expect(updated.body.level).toEqual({ id: 4, name: '铂金 Platinum' });
  });

  it('validates level edits: thresholds must rise, fields are checked, permission levels:write', async () => {
    expectError(
      await api('PUT', '/api/v1/admin/levels/3', {
        token: admin('members:write'),
        body: { name: 'x' },
      }),
      403,
    );
    const badLadder = await api('PUT', '/api/v1/admin/levels/3', {
      token: admin('levels:write'),
      body: { minTotalSpent: '10.00' },
    });
    expect(expectError(badLadder, 400, 'VALIDATION_FAILED').details).toEqual({
      fields: { minTotalSpent: ['level 3 must need more spend than level 2'] },
    });
    expectError(
      await api('POST', '/api/v1/admin/levels', {
        token: admin('levels:write'),
        body: { id: 6, name: 'Black', minTotalSpent: '1e5' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('POST', '/api/v1/admin/levels', {
        token: admin('levels:write'),
        body: { id: 2, name: 'Again', minTotalSpent: '90000.00' },
      }),
      409,
      'LEVEL_EXISTS',
    );

    const renamed = await api<LevelView>('PUT', '/api/v1/admin/levels/2', {
      token: admin('levels:write'),
      body: { name: '白银 Silver' },
    });
    expect(renamed.body).toEqual({ id: 2, name: '白银 Silver', minTotalSpent: '1000.00' });
  });

  it('runs the birthday job on demand, as of a given time, once per member per year', async () => {
    const userId = nextUserId();
    await api('POST', '/api/v1/members', {
      token: memberToken(userId),
      body: { birthday: '1994-10-17' },
    });
    const run = async (asOf: string) =>
      (
        await runToEnd('/api/v1/admin/jobs/birthdays/run', {
          token: admin('system:write'),
          body: { asOf },
        })
      ).result as { outcome: string; result: { greeted: number; date: string } };

    const first = await run('2031-10-16T16:30:00.000Z');
    const again = await run('2031-10-17T08:00:00.000Z');

    expect(first).toMatchObject({ outcome: 'succeeded', result: { date: '2031-10-17' } });
    expect(first.result.greeted).toBeGreaterThanOrEqual(1);
    expect(again.result.greeted).toBe(0);
  });

  it('refuses unknown jobs, bad times and callers without system:write', async () => {
    const path = '/api/v1/admin/jobs/birthdays/run';
    expectError(
      await api('POST', '/api/v1/admin/jobs/nope/run', { token: admin('system:write'), body: {} }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api('POST', path, { token: admin('system:write'), body: { asOf: 'tomorrow' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('POST', path, { token: admin('members:write'), body: {} }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('POST', path, { token: memberToken(nextUserId()), body: {} }),
      403,
      'FORBIDDEN',
    );
  });
});
