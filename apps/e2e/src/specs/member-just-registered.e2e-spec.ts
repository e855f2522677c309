import type { CampaignView, JoinResult, Page } from '@member-system/contracts';
import { EVENTS_EXCHANGE } from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import { api, expectError, memberToken, metricValue, nextUserId, token } from '../support/api';
import { publishPlatformEvent } from '../support/events';
import { queryAppSchema } from '../support/fleet';

const admin = token({ sub: '1', roles: ['admin'], perms: ['campaigns:write'] });
const HOUR = 3_600_000;
const QUOTE = { orderAmount: '100.00' };

async function openCampaign(): Promise<string> {
  const created = await api<CampaignView>('POST', '/api/v1/admin/campaigns', {
    token: admin,
    body: {
      title: 'Welcome aboard',
      startAt: new Date(Date.now() - HOUR).toISOString(),
      endAt: new Date(Date.now() + HOUR).toISOString(),
      completion: 'manual',
      reward: { points: 5 },
    },
  });
  expect(created.status).toBe(201);
  const published = await api('POST', `/api/v1/admin/campaigns/${created.body.id}/publish`, {
    token: admin,
  });
  expect(published.status).toBe(200);
  return created.body.id;
}

/** The member.registered.v1 member-service published for this user, as it was sent. */
async function registeredEventOf(userId: string): Promise<Record<string, unknown>> {
  const [row] = await queryAppSchema(
    'member-service',
    "SELECT envelope FROM outbox_message WHERE event_type = 'member.registered.v1' AND envelope LIKE ?",
    [`%"userId":"${userId}"%`],
  );
  const envelope = JSON.parse(String(row?.['envelope'])) as { payload: Record<string, unknown> };
  return envelope.payload;
}

async function memberLevelRows(userId: string): Promise<unknown[]> {
  return queryAppSchema(
    'event-service',
    'SELECT member_id, user_id, level_id, version FROM member_level WHERE user_id = ?',
    [userId],
  );
}

/**
 * A member registered through the API whose copy event-service then loses, as if
 * member.registered.v1 had not reached it yet; `recorded` is the copy it had.
 */
async function registeredUnknownToEventService(): Promise<{
  userId: string;
  bearer: string;
  recorded: unknown;
}> {
  const userId = nextUserId();
  const bearer = memberToken(userId);
  expect((await api('POST', '/api/v1/members', { token: bearer, body: {} })).status).toBe(201);
  await waitFor(async () => (await memberLevelRows(userId)).length === 1, {
    timeoutMs: 15_000,
    intervalMs: 100,
    what: 'event-service to record the member',
  });
  const [recorded] = await memberLevelRows(userId);
  await queryAppSchema('event-service', 'DELETE FROM member_level WHERE user_id = ?', [userId]);
  return { userId, bearer, recorded };
}

const registrationsHandled = (): Promise<number> =>
  metricValue('event-service', 'ms_events_consumed_total', {
    type: 'member.registered.v1',
    outcome: 'handled',
  });

describe('a member who has just registered', () => {
  let campaignId: string;

  beforeAll(async () => {
    campaignId = await openCampaign();
  });

  it('joins a campaign, quotes and checks in at once: 30 new members in parallel, never a 404', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const bearer = memberToken(nextUserId());
        const registered = await api('POST', '/api/v1/members', { token: bearer, body: {} });
        // Each member's calls one after the other, as an app makes them, all right after the
        // registration answered: each service may not have its copy of the member yet.
        const joined = await api('POST', `/api/v1/campaigns/${campaignId}/join`, { token: bearer });
        const quoted = await api('POST', '/api/v1/benefits/quote', { token: bearer, body: QUOTE });
        const checkedIn = await api('POST', '/api/v1/points/me/check-in', { token: bearer });
        return [registered.status, joined.status, quoted.status, checkedIn.status];
      }),
    );

    expect(statuses).toEqual(Array.from({ length: 30 }, () => [201, 200, 200, 201]));
  });

  it("joins although event-service's copy of the member is missing, and the late registration event changes nothing", async () => {
    const { userId, bearer, recorded } = await registeredUnknownToEventService();

    const joined = await api<JoinResult>('POST', `/api/v1/campaigns/${campaignId}/join`, {
      token: bearer,
    });

    expect(joined.status).toBe(200);
    expect(joined.body.status).toBe('joined');
    expect(await memberLevelRows(userId)).toEqual([recorded]);

    // The registration arrives now (a first delivery: a new event id).
    const handled = await registrationsHandled();
    await publishPlatformEvent('member.registered.v1', await registeredEventOf(userId), {
      exchange: EVENTS_EXCHANGE,
    });
    await waitFor(async () => (await registrationsHandled()) > handled, {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: 'event-service to take the late registration',
    });
    expect(await memberLevelRows(userId)).toEqual([recorded]);
    const participations = await queryAppSchema(
      'event-service',
      'SELECT COUNT(*) AS n FROM participation WHERE campaign_id = ? AND user_id = ?',
      [campaignId, userId],
    );
    expect(Number(participations[0]?.['n'])).toBe(1);
    expectError(
      await api('POST', `/api/v1/campaigns/${campaignId}/join`, { token: bearer }),
      409,
      'ALREADY_JOINED',
    );
  });

  it("lists the campaigns open to them and their participations although event-service's copy of the member is missing", async () => {
    const { userId, bearer, recorded } = await registeredUnknownToEventService();

    const open = await api<Page<CampaignView>>('GET', '/api/v1/campaigns?limit=100', {
      token: bearer,
    });
    expect(open.status).toBe(200);
    expect(open.body.items.map((campaign) => campaign.id)).toContain(campaignId);
    expect(await memberLevelRows(userId)).toEqual([recorded]);

    await queryAppSchema('event-service', 'DELETE FROM member_level WHERE user_id = ?', [userId]);
    const mine = await api<Page<unknown>>('GET', '/api/v1/campaigns/me/participations', {
      token: bearer,
    });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ items: [], nextCursor: null });
    expect(await memberLevelRows(userId)).toEqual([recorded]);
  });

  it("quotes although benefit-service's copy of the member is missing", async () => {
    const userId = nextUserId();
    const bearer = memberToken(userId);
    expect((await api('POST', '/api/v1/members', { token: bearer, body: {} })).status).toBe(201);
    const rows = (): Promise<unknown[]> =>
      queryAppSchema(
        'benefit-service',
        'SELECT member_id, user_id, level_id, version FROM member_level WHERE user_id = ?',
        [userId],
      );
    await waitFor(async () => (await rows()).length === 1, {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: 'benefit-service to record the member',
    });
    const [recorded] = await rows();
    await queryAppSchema('benefit-service', 'DELETE FROM member_level WHERE user_id = ?', [userId]);

    const quoted = await api('POST', '/api/v1/benefits/quote', { token: bearer, body: QUOTE });

    expect(quoted.status).toBe(200);
    expect(await rows()).toEqual([recorded]);
  });

  it('still answers 404 to a user who never registered, and stores nothing for them', async () => {
    const userId = nextUserId();
    const bearer = memberToken(userId);

    expectError(
      await api('POST', `/api/v1/campaigns/${campaignId}/join`, { token: bearer }),
      404,
      'MEMBER_NOT_FOUND',
    );
    expectError(
      await api('POST', '/api/v1/benefits/quote', { token: bearer, body: QUOTE }),
      404,
      'MEMBER_NOT_FOUND',
    );
    expectError(
      await api('POST', '/api/v1/points/me/check-in', { token: bearer }),
      404,
      'POINT_ACCOUNT_NOT_FOUND',
    );
    expectError(await api('GET', '/api/v1/campaigns', { token: bearer }), 404, 'MEMBER_NOT_FOUND');
    expectError(
      await api('GET', '/api/v1/points/me/balance', { token: bearer }),
      404,
      'POINT_ACCOUNT_NOT_FOUND',
    );
    expect(await memberLevelRows(userId)).toEqual([]);
    const accounts = await queryAppSchema(
      'point-service',
      'SELECT COUNT(*) AS n FROM point_account WHERE user_id = ?',
      [userId],
    );
    expect(Number(accounts[0]?.['n'])).toBe(0);
  });
});
