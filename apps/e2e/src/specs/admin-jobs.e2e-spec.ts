import type {
  AdminJobView,
  BalanceView,
  CampaignView,
  JoinResult,
  ParticipationView,
} from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import { api, expectError, memberToken, nextUserId, token, waitForBalance } from '../support/api';
import type { PageBody } from '../support/api';
import { finishedJob, readJob, startJob } from '../support/admin-jobs';

const admin = token({ sub: '1', roles: ['admin'], perms: ['campaigns:write'] });
const systemAdmin = token({ sub: '2', roles: ['admin'], perms: ['system:write'] });
const HOUR = 3_600_000;
const MEMBERS = 4;
const REWARD = 15;

/** A published manual campaign that `MEMBERS` new members joined and completed. */
async function completedCampaign(): Promise<{ campaignId: string; bearers: string[] }> {
  const created = await api<CampaignView>('POST', '/api/v1/admin/campaigns', {
    token: admin,
    body: {
      title: 'Rewards as a job',
      startAt: new Date(Date.now() - HOUR).toISOString(),
      endAt: new Date(Date.now() + HOUR).toISOString(),
      completion: 'manual',
      reward: { points: REWARD },
    },
  });
  const campaignId = created.body.id;
  await api('POST', `/api/v1/admin/campaigns/${campaignId}/publish`, { token: admin });
  const bearers: string[] = [];
  for (let index = 0; index < MEMBERS; index += 1) {
    const bearer = memberToken(nextUserId());
    await api('POST', '/api/v1/members', { token: bearer, body: {} });
    await waitForBalance(bearer);
    const joined = await api<JoinResult>('POST', `/api/v1/campaigns/${campaignId}/join`, {
      token: bearer,
    });
    const completed = await api(
      'POST',
      `/api/v1/admin/participations/${joined.body.participationId}/complete`,
      { token: admin },
    );
    expect(completed.status).toBe(200);
    bearers.push(bearer);
  }
  return { campaignId, bearers };
}

describe('admin jobs through the gateway', () => {
  it('distributes rewards as a job: 202 at once with its Location, the same job on a replay, progress and result by GET, each reward once', async () => {
    const { campaignId, bearers } = await completedCampaign();
    const path = `/api/v1/admin/campaigns/${campaignId}/distribute-rewards`;
    const key = `distribute-${campaignId}-${Date.now()}`;

    const { job, response } = await startJob(path, {
      token: admin,
      headers: { 'idempotency-key': key },
    });
    expect(job).toMatchObject({
      id: expect.stringMatching(/^event\.\d+$/),
      kind: 'distribute-rewards',
      params: { campaignId },
      status: expect.stringMatching(/^(queued|running|succeeded)$/),
      requestedBy: '1',
      error: null,
    });
    expect(response.headers.get('idempotent-replayed')).toBeNull();

    const replay = await startJob(path, { token: admin, headers: { 'idempotency-key': key } });
    expect(replay.job.id).toBe(job.id);
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');

    const finished = await finishedJob(job.id, { token: admin });
    expect(finished).toMatchObject({
      id: job.id,
      status: 'succeeded',
      progress: { done: MEMBERS, total: MEMBERS },
      result: {
        campaignId,
        rewarded: MEMBERS,
        totals: { participants: MEMBERS, completed: MEMBERS, rewarded: MEMBERS, pending: 0 },
        status: 'published',
      },
      error: null,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });

    // Nothing left: a new start is a new job that rewards no one.
    const again = await startJob(path, { token: admin });
    expect(again.job.id).not.toBe(job.id);
    expect((await finishedJob(again.job.id, { token: admin })).result).toMatchObject({
      rewarded: 0,
      totals: { rewarded: MEMBERS, pending: 0 },
    });

    for (const bearer of bearers) {
      const balance = await waitFor(
        async () => {
          const read = await api<BalanceView>('GET', '/api/v1/points/me/balance', {
            token: bearer,
          });
          return read.body.available === REWARD ? read.body : false;
        },
        { timeoutMs: 15_000, intervalMs: 100, what: 'the reward in the balance' },
      );
      expect(balance.lifetimeEarned).toBe(REWARD);
      const mine = await api<PageBody<ParticipationView>>(
        'GET',
        '/api/v1/campaigns/me/participations',
        { token: bearer },
      );
      expect(mine.body.items).toEqual([
        expect.objectContaining({ campaignId, status: 'rewarded' }),
      ]);
    }
  });

  it('shows a job only to an admin with the permission its start needs; unknown and malformed ids', async () => {
    const { campaignId } = await completedCampaign();
    const { job } = await startJob(`/api/v1/admin/campaigns/${campaignId}/distribute-rewards`, {
      token: admin,
    });
    await finishedJob(job.id, { token: admin });

    expectError(await readJob(job.id, { token: memberToken(nextUserId()) }), 403, 'FORBIDDEN');
    expectError(await readJob(job.id, { token: systemAdmin }), 403, 'FORBIDDEN');
    expectError(await readJob(job.id), 401, 'UNAUTHENTICATED');
    expectError(await readJob('event.999999999999', { token: admin }), 404, 'JOB_NOT_FOUND');
    expectError(await readJob('point.999999999999', { token: admin }), 404, 'JOB_NOT_FOUND');
    for (const malformed of [
      'nope',
      'event.0',
      'event.-1',
      'shop.1',
      'event.1.2',
      'expire-points',
    ]) {
      expectError(await readJob(malformed, { token: admin }), 400, 'VALIDATION_FAILED');
    }

    expectError(
      await api('POST', '/api/v1/admin/campaigns/999999999/distribute-rewards', { token: admin }),
      404,
      'CAMPAIGN_NOT_FOUND',
    );
    const draft = await api<CampaignView>('POST', '/api/v1/admin/campaigns', {
      token: admin,
      body: {
        title: 'Nothing to reward yet',
        startAt: new Date(Date.now() - HOUR).toISOString(),
        endAt: new Date(Date.now() + HOUR).toISOString(),
        completion: 'manual',
        reward: { points: 5 },
      },
    });
    expectError(
      await api('POST', `/api/v1/admin/campaigns/${draft.body.id}/distribute-rewards`, {
        token: admin,
      }),
      409,
      'CAMPAIGN_STATE_CONFLICT',
    );
  });

  it('runs a scheduled job as a job: 202, then its run by GET, readable with system:write only', async () => {
    const { job } = await startJob('/api/v1/admin/jobs/close-campaigns/run', {
      token: systemAdmin,
      body: {},
    });
    expect(job).toMatchObject({
      id: expect.stringMatching(/^event\.\d+$/),
      kind: 'run-job',
      params: { job: 'close-campaigns', asOf: expect.any(String) },
    });
    const finished: AdminJobView = await finishedJob(job.id, { token: systemAdmin });
    expect(finished).toMatchObject({
      status: 'succeeded',
      result: { job: 'close-campaigns', outcome: 'succeeded', result: expect.any(Object) },
    });
    expectError(await readJob(job.id, { token: admin }), 403, 'FORBIDDEN');
  });
});
