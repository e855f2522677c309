import type { BenefitView, CampaignView, Page } from '@member-system/contracts';
import { api, expectError, token } from '../support/api';

const admin = token({
  sub: '1',
  roles: ['admin'],
  perms: ['campaigns:write', 'benefits:write'],
});
const HOUR = 3_600_000;
/** Far above any level or benefit the suite creates. */
const MISSING_ID = 987_654_321;

function draft(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Spring challenge',
    startAt: new Date(Date.now() + HOUR).toISOString(),
    endAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    completion: 'manual',
    reward: { points: 10 },
    ...overrides,
  };
}

async function createBenefit(): Promise<BenefitView> {
  const created = await api<BenefitView>('POST', '/api/v1/admin/benefits', {
    token: admin,
    body: { type: 'DISCOUNT', levelId: 2, name: 'Campaign prize', params: { rate: '0.90' } },
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function campaignRow(id: string): Promise<CampaignView> {
  const response = await api<CampaignView>('GET', `/api/v1/admin/campaigns/${id}`, {
    token: admin,
  });
  expect(response.status).toBe(200);
  return response.body;
}

describe('campaign rewards and eligibility name what exists', () => {
  it('creates a campaign whose reward benefit and minimum level exist', async () => {
    const benefit = await createBenefit();

    const created = await api<CampaignView>('POST', '/api/v1/admin/campaigns', {
      token: admin,
      body: draft({ reward: { benefitId: benefit.id }, minLevelId: 2 }),
    });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ reward: { benefitId: benefit.id }, minLevelId: 2 });
  });

  it('refuses a reward benefit that does not exist, or was removed, and stores nothing', async () => {
    const removed = await createBenefit();
    expect(
      (await api('DELETE', `/api/v1/admin/benefits/${removed.id}`, { token: admin })).status,
    ).toBe(204);
    const title = `No such prize ${Date.now()}`;

    for (const benefitId of [String(MISSING_ID), removed.id]) {
      expectError(
        await api('POST', '/api/v1/admin/campaigns', {
          token: admin,
          body: draft({ title, reward: { benefitId } }),
        }),
        422,
        'CAMPAIGN_REWARD_BENEFIT_NOT_FOUND',
      );
    }
    // Newest first: a campaign stored by a refused request would be among the latest drafts.
    const stored = await api<Page<CampaignView>>(
      'GET',
      '/api/v1/admin/campaigns?status=draft&limit=100',
      { token: admin },
    );
    expect(stored.status).toBe(200);
    expect(stored.body.items.filter((campaign) => campaign.title === title)).toEqual([]);
  });

  it('refuses a minimum level that does not exist', async () => {
    expectError(
      await api('POST', '/api/v1/admin/campaigns', {
        token: admin,
        body: draft({ minLevelId: 999 }),
      }),
      422,
      'CAMPAIGN_MIN_LEVEL_NOT_FOUND',
    );
  });

  it('updates a draft to an existing benefit and level, and refuses unknown ones leaving it unchanged', async () => {
    const created = await api<CampaignView>('POST', '/api/v1/admin/campaigns', {
      token: admin,
      body: draft(),
    });
    expect(created.status).toBe(201);
    const path = `/api/v1/admin/campaigns/${created.body.id}`;
    const benefit = await createBenefit();

    const updated = await api<CampaignView>('PUT', path, {
      token: admin,
      body: draft({ reward: { benefitId: benefit.id }, minLevelId: 3 }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ reward: { benefitId: benefit.id }, minLevelId: 3 });

    expectError(
      await api('PUT', path, {
        token: admin,
        body: draft({ title: 'Renamed', reward: { benefitId: String(MISSING_ID) } }),
      }),
      422,
      'CAMPAIGN_REWARD_BENEFIT_NOT_FOUND',
    );
    expectError(
      await api('PUT', path, { token: admin, body: draft({ title: 'Renamed', minLevelId: 999 }) }),
      422,
      'CAMPAIGN_MIN_LEVEL_NOT_FOUND',
    );
    expect(await campaignRow(created.body.id)).toEqual(updated.body);
  });
});
