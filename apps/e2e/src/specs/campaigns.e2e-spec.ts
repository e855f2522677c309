import type {
  BalanceView,
  CampaignView,
  JoinResult,
  ParticipationView,
} from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import {
  allPages,
  api,
  expectError,
  memberToken,
  nextUserId,
  token,
  waitForBalance,
} from '../support/api';
import type { PageBody } from '../support/api';
import { runToEnd } from '../support/admin-jobs';
import { publishPlatformEvent } from '../support/events';

const admin = token({ sub: '1', roles: ['admin'], perms: ['campaigns:write'] });
const HOUR = 3_600_000;

async function newMember(): Promise<{ userId: string; bearer: string }> {
  const userId = nextUserId();
  const bearer = memberToken(userId);
  await api('POST', '/api/v1/members', { token: bearer, body: {} });
  await waitForBalance(bearer);
  return { userId, bearer };
}

describe('campaigns through the gateway', () => {
  it('runs a campaign from draft to the reward in the balance: join, a qualifying order, distribution', async () => {
    const created = await api<CampaignView>('POST', '/api/v1/admin/campaigns', {
      token: admin,
      body: {
        title: 'Spend 300, get 50',
        startAt: new Date(Date.now() - HOUR).toISOString(),
        endAt: new Date(Date.now() + HOUR).toISOString(),
        capacity: 10,
        completion: { event: 'order.completed.v1', minAmount: '300.00' },
        reward: { points: 50 },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', joined: 0 });
    const campaignPath = `/api/v1/admin/campaigns/${created.body.id}`;
    expect(
      (await api<CampaignView>('POST', `${campaignPath}/publish`, { token: admin })).body.status,
    ).toBe('published');

    const member = await newMember();
    const open = await allPages<CampaignView>('/api/v1/campaigns', member.bearer);
    expect(open.items.map((campaign) => campaign.id)).toContain(created.body.id);
    const joined = await api<JoinResult>('POST', `/api/v1/campaigns/${created.body.id}/join`, {
      token: member.bearer,
    });
    expect(joined.body).toMatchObject({ status: 'joined' });
    expectError(
      await api('POST', `/api/v1/campaigns/${created.body.id}/join`, { token: member.bearer }),
      409,
      'ALREADY_JOINED',
    );

    await publishPlatformEvent('order.completed.v1', {
      orderId: String(Date.now()),
      userId: member.userId,
      amount: '300.00',
      currency: 'CNY',
      completedAt: new Date().toISOString(),
    });
    await waitFor(
      async () => {
        const mine = await api<PageBody<ParticipationView>>(
          'GET',
          '/api/v1/campaigns/me/participations',
          { token: member.bearer },
        );
        return mine.body.items[0]?.status === 'completed';
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'the participation completed by the order' },
    );

    const distributed = await runToEnd(`${campaignPath}/distribute-rewards`, { token: admin });
    expect(distributed).toMatchObject({
      status: 'succeeded',
      result: {
        rewarded: 1,
        totals: { participants: 1, completed: 1, rewarded: 1, pending: 0 },
      },
    });
    const again = await runToEnd(`${campaignPath}/distribute-rewards`, { token: admin });
    expect(again.id).not.toBe(distributed.id);
    expect(again.result).toMatchObject({ rewarded: 0 });

    // 300 points for the order (Regular, 1.0) and 50 for the campaign.
    const balance = await waitFor(
      async () => {
        const response = await api<BalanceView>('GET', '/api/v1/points/me/balance', {
          token: member.bearer,
        });
        return response.body.available === 350 ? response.body : false;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'the reward in the balance' },
    );
    expect(balance.lifetimeEarned).toBe(350);
    const mine = await api<PageBody<ParticipationView>>(
      'GET',
      '/api/v1/campaigns/me/participations',
      { token: member.bearer },
    );
    expect(mine.body).toEqual({
      items: [expect.objectContaining({ campaignId: created.body.id, status: 'rewarded' })],
      nextCursor: null,
    });
  });

  it('refuses bad campaigns, members on admin routes and joins of what is not open', async () => {
    const member = await newMember();
    expectError(
      await api('POST', '/api/v1/admin/campaigns', {
        token: admin,
        body: {
          title: 'x',
          startAt: '2026-01-02T00:00:00Z',
          endAt: '2026-01-01T00:00:00Z',
          completion: 'manual',
          reward: { points: 5 },
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('POST', '/api/v1/admin/campaigns', {
        token: admin,
        body: {
          title: 'x',
          startAt: '2026-01-01T00:00:00Z',
          endAt: '2026-01-02T00:00:00Z',
          completion: { event: 'order.completed.v1' },
          reward: { points: 5 },
        },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('GET', '/api/v1/admin/campaigns', { token: member.bearer }),
      403,
      'FORBIDDEN',
    );
    const draft = await api<CampaignView>('POST', '/api/v1/admin/campaigns', {
      token: admin,
      body: {
        title: 'Not yet',
        startAt: new Date(Date.now() - HOUR).toISOString(),
        endAt: new Date(Date.now() + HOUR).toISOString(),
        completion: 'manual',
        reward: { points: 5 },
      },
    });
    expectError(
      await api('POST', `/api/v1/campaigns/${draft.body.id}/join`, { token: member.bearer }),
      409,
      'CAMPAIGN_NOT_OPEN',
    );
    expectError(
      await api('POST', '/api/v1/campaigns/abc/join', { token: member.bearer }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api('POST', '/api/v1/campaigns/999999999/join', { token: member.bearer }),
      404,
      'CAMPAIGN_NOT_FOUND',
    );
  });
});
