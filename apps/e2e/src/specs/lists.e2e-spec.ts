import type {
  BenefitView,
  CampaignView,
  ExpiringLotView,
  LevelView,
  MemberView,
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
import { publishPlatformEvent } from '../support/events';

/** docs/api/contract.md "Conventions": every list answers `{items, nextCursor}` and pages with limit and cursor. */

const V1 = '/api/v1';
const HOUR = 3_600_000;
const benefitsAdmin = token({ sub: '1', roles: ['admin'], perms: ['benefits:write'] });
const campaignsAdmin = token({ sub: '1', roles: ['admin'], perms: ['campaigns:write'] });
const membersReader = token({ sub: '1', roles: ['admin'], perms: ['members:read'] });

// Seeded from the clock, as user ids are, so reruns never reuse an order.
let lastOrderId = BigInt(Date.now()) * 1000n + 500n;
function nextOrderId(): string {
  lastOrderId += 1n;
  return lastOrderId.toString();
}

interface Member {
  userId: string;
  bearer: string;
}

async function register(): Promise<Member> {
  const userId = nextUserId();
  const bearer = memberToken(userId);
  expect((await api('POST', `${V1}/members`, { token: bearer, body: {} })).status).toBe(201);
  await waitForBalance(bearer);
  await waitFor(
    async () => (await api('GET', `${V1}/campaigns`, { token: bearer })).status === 200,
    {
      timeoutMs: 15_000,
      intervalMs: 100,
      what: 'event-service to know the new member',
    },
  );
  return { userId, bearer };
}

async function completeOrder(userId: string, amount: string): Promise<void> {
  await publishPlatformEvent('order.completed.v1', {
    orderId: nextOrderId(),
    userId,
    amount,
    currency: 'CNY',
    completedAt: new Date().toISOString(),
  });
}

async function openCampaign(title: string, startAt: Date, minLevelId?: number): Promise<string> {
  const created = await api<CampaignView>('POST', `${V1}/admin/campaigns`, {
    token: campaignsAdmin,
    body: {
      title,
      startAt: startAt.toISOString(),
      endAt: new Date(Date.now() + HOUR).toISOString(),
      completion: 'manual',
      reward: { points: 1 },
      ...(minLevelId === undefined ? {} : { minLevelId }),
    },
  });
  expect(created.status).toBe(201);
  const published = await api('POST', `${V1}/admin/campaigns/${created.body.id}/publish`, {
    token: campaignsAdmin,
  });
  expect(published.status).toBe(200);
  return created.body.id;
}

async function join(member: Member, campaignId: string): Promise<void> {
  const joined = await api('POST', `${V1}/campaigns/${campaignId}/join`, { token: member.bearer });
  expect(joined.status).toBe(200);
}

/** `path` read `limit` at a time and all at once: the same items, once each, in the same order. */
async function expectPagedAsWhole<T>(
  path: string,
  bearer: string,
  limit: number,
  keyOf: (item: T) => string,
): Promise<T[]> {
  const whole = await allPages<T>(path, bearer, 100);
  const paged = await allPages<T>(path, bearer, limit);

  expect(paged.items).toEqual(whole.items);
  expect(new Set(paged.items.map(keyOf)).size).toBe(paged.items.length);
  expect(paged.pages).toBe(Math.max(1, Math.ceil(whole.items.length / limit)));
  return paged.items;
}

function expectOrdered<T>(items: T[], inOrder: (before: T, after: T) => boolean): void {
  for (let index = 1; index < items.length; index += 1) {
    expect(inOrder(items[index - 1] as T, items[index] as T)).toBe(true);
  }
}

const lotKey = (lot: ExpiringLotView): string => `${lot.earnedAt}/${lot.points}`;
const EXPIRING = `${V1}/points/me/expiring?days=1000`;
const PARTICIPATIONS = `${V1}/campaigns/me/participations`;

describe('lists through the gateway', () => {
  let gold: Member;
  let other: Member;
  let campaignIds: string[];
  let hiddenCampaignId: string;
  let disabledBenefitId: string;

  beforeAll(async () => {
    [gold, other] = [await register(), await register()];
    // 6000.00 in three orders: Gold, and three lots of points, all expiring at the end of the
    // same day two years on (so the lots' order rests on the rest of the key).
    for (let n = 0; n < 3; n += 1) await completeOrder(gold.userId, '2000.00');
    for (let n = 0; n < 2; n += 1) await completeOrder(other.userId, '100.00');
    await waitFor(
      async () => {
        const lots = await api<PageBody<ExpiringLotView>>('GET', EXPIRING, { token: gold.bearer });
        const mine = await api<PageBody<BenefitView>>('GET', `${V1}/benefits/me`, {
          token: gold.bearer,
        });
        const others = await api<PageBody<ExpiringLotView>>('GET', EXPIRING, {
          token: other.bearer,
        });
        return (
          lots.body.items?.length === 3 &&
          others.body.items?.length === 2 &&
          mine.body.items?.some((benefit) => benefit.levelId === 3) === true
        );
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'the orders credited and the member at Gold' },
    );

    // A Gold benefit switched off: in the admin's list, never in a member's.
    const disabled = await api<BenefitView>('POST', `${V1}/admin/benefits`, {
      token: benefitsAdmin,
      body: {
        type: 'FREE_SHIPPING',
        levelId: 3,
        name: 'Switched off',
        params: {},
        enabled: false,
      },
    });
    expect(disabled.status).toBe(201);
    disabledBenefitId = disabled.body.id;

    const earlier = new Date(Date.now() - 3 * HOUR);
    const later = new Date(Date.now() - 2 * HOUR);
    campaignIds = [
      await openCampaign('List one', earlier),
      await openCampaign('List two', later),
      await openCampaign('List three', later),
    ];
    hiddenCampaignId = await openCampaign('Diamond only', earlier, 5);
    await join(other, campaignIds[0] as string);
    for (const campaignId of campaignIds) await join(gold, campaignId);
  });

  afterAll(async () => {
    await api('DELETE', `${V1}/admin/benefits/${disabledBenefitId}`, { token: benefitsAdmin });
  });

  it('pages the level ladder, lowest threshold first', async () => {
    const levels = await expectPagedAsWhole<LevelView>(`${V1}/levels`, gold.bearer, 2, (level) =>
      String(level.id),
    );

    expect(levels.length).toBeGreaterThanOrEqual(5);
    expectOrdered(levels, (a, b) => Number(a.minTotalSpent) < Number(b.minTotalSpent));
  });

  it("pages a member's benefits, oldest first, leaving out what does not apply to them", async () => {
    const mine = await expectPagedAsWhole<BenefitView>(
      `${V1}/benefits/me`,
      gold.bearer,
      1,
      (benefit) => benefit.id,
    );

    expect(new Set(mine.map((benefit) => benefit.type))).toEqual(
      new Set([
        'POINTS_MULTIPLIER',
        'DISCOUNT',
        'FREE_SHIPPING',
        'BIRTHDAY_GIFT',
        'EXCLUSIVE_EVENT',
      ]),
    );
    expect(mine.map((benefit) => benefit.id)).not.toContain(disabledBenefitId);
    expectOrdered(mine, (a, b) => BigInt(a.id) < BigInt(b.id));
  });

  it('pages the campaigns open to the member, earliest start first, leaving out those they may not join', async () => {
    const open = await expectPagedAsWhole<CampaignView>(
      `${V1}/campaigns`,
      gold.bearer,
      1,
      (campaign) => campaign.id,
    );

    const ids = open.map((campaign) => campaign.id);
    expect(ids).toEqual(expect.arrayContaining(campaignIds));
    expect(ids).not.toContain(hiddenCampaignId);
    expectOrdered(
      open,
      (a, b) => a.startAt < b.startAt || (a.startAt === b.startAt && BigInt(a.id) < BigInt(b.id)),
    );
  });

  it("pages the member's participations, newest first", async () => {
    const mine = await expectPagedAsWhole<ParticipationView>(
      PARTICIPATIONS,
      gold.bearer,
      2,
      (participation) => participation.participationId,
    );

    expect(mine.map((participation) => participation.campaignId)).toEqual(
      [...campaignIds].reverse(),
    );
  });

  it("pages the member's expiring lots, soonest first", async () => {
    const lots = await expectPagedAsWhole<ExpiringLotView>(EXPIRING, gold.bearer, 1, lotKey);

    expect(lots).toHaveLength(3);
    expectOrdered(
      lots,
      (a, b) =>
        a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.earnedAt <= b.earnedAt),
    );
  });

  it('pages the admin benefit list, by level and type, disabled ones too', async () => {
    const all = await expectPagedAsWhole<BenefitView>(
      `${V1}/admin/benefits`,
      benefitsAdmin,
      7,
      (benefit) => benefit.id,
    );

    expect(all.map((benefit) => benefit.id)).toContain(disabledBenefitId);
    expectOrdered(
      all,
      (a, b) =>
        a.levelId < b.levelId ||
        (a.levelId === b.levelId &&
          (a.type < b.type || (a.type === b.type && BigInt(a.id) < BigInt(b.id)))),
    );
  });

  it('gives at most `limit` items a page, 20 without one', async () => {
    const first = await api<PageBody<BenefitView>>('GET', `${V1}/admin/benefits?limit=3`, {
      token: benefitsAdmin,
    });
    const byDefault = await api<PageBody<BenefitView>>('GET', `${V1}/admin/benefits`, {
      token: benefitsAdmin,
    });
    const whole = await allPages<BenefitView>(`${V1}/admin/benefits`, benefitsAdmin);

    expect(first.body.items).toEqual(whole.items.slice(0, 3));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(byDefault.body.items).toEqual(whole.items.slice(0, 20));
    expect(byDefault.body.nextCursor === null).toBe(whole.items.length <= 20);
  });

  it.each([
    `${V1}/levels`,
    `${V1}/benefits/me`,
    `${V1}/campaigns`,
    PARTICIPATIONS,
    EXPIRING,
    `${V1}/admin/benefits`,
  ])('refuses a bad limit or cursor on %s', async (path) => {
    const bearer = path.includes('/admin/') ? benefitsAdmin : gold.bearer;
    const separator = path.includes('?') ? '&' : '?';
    const levelsCursor = (
      await api<PageBody<LevelView>>('GET', `${V1}/levels?limit=1`, { token: gold.bearer })
    ).body.nextCursor as string;
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['cursor=abc', 'cursor'],
      [`cursor=${Buffer.from('["1 OR 1=1"]').toString('base64url')}`, 'cursor'],
    ];
    // A cursor is a position in one list: another list's is refused (the ladder's is not its own).
    if (!path.endsWith('/levels')) cases.push([`cursor=${levelsCursor}`, 'cursor']);

    for (const [query, field] of cases) {
      const error = expectError(
        await api('GET', `${path}${separator}${query}`, { token: bearer }),
        400,
        'VALIDATION_FAILED',
      );
      expect(error.details).toMatchObject({ fields: { [field]: expect.any(Array) } });
    }
  });

  it("shows nothing of another member's expiring lots through their cursor", async () => {
    const { theirs, own, seen } = await readWithTheirCursor(EXPIRING, lotKey);

    expect(own).toEqual(expect.arrayContaining(seen));
    expect(seen.filter((key) => theirs.includes(key))).toEqual([]);
  });

  it("shows a member only their own participations through another member's cursor", async () => {
    // The other member joined before the Gold one: their participation is older than the
    // position of the Gold member's cursor, so it is on the page that follows it.
    const { theirs, own, seen } = await readWithTheirCursor(
      PARTICIPATIONS,
      (participation: ParticipationView) => participation.participationId,
    );

    expect(own).toHaveLength(1);
    expect(seen).toEqual(own);
    expect(theirs).not.toContain(own[0]);
  });

  /** The Gold member's list, the other's, and what the other sees with the Gold member's cursor. */
  async function readWithTheirCursor<T>(
    path: string,
    keyOf: (item: T) => string,
  ): Promise<{ theirs: string[]; own: string[]; seen: string[] }> {
    const theirs = (await allPages<T>(path, gold.bearer)).items.map(keyOf);
    const own = (await allPages<T>(path, other.bearer)).items.map(keyOf);
    const separator = path.includes('?') ? '&' : '?';
    const theirFirst = await api<PageBody<T>>('GET', `${path}${separator}limit=1`, {
      token: gold.bearer,
    });
    expect(theirFirst.body.nextCursor).toEqual(expect.any(String));
    const withTheirCursor = await api<PageBody<T>>(
      'GET',
      `${path}${separator}cursor=${theirFirst.body.nextCursor as string}`,
      { token: other.bearer },
    );
    expect(withTheirCursor.status).toBe(200);
    return { theirs, own, seen: withTheirCursor.body.items.map(keyOf) };
  }
});

describe('GET /admin/members?userId=', () => {
  it('finds the member of a platform user id, with the other filters ANDed', async () => {
    const member = await register();
    const own = await api<MemberView>('GET', `${V1}/members/me`, { token: member.bearer });
    const search = (query: string) =>
      api<PageBody<MemberView>>('GET', `${V1}/admin/members?${query}`, { token: membersReader });

    const found = await search(`userId=${member.userId}`);
    const withLevel = await search(`userId=${member.userId}&levelId=1`);
    const withOtherLevel = await search(`userId=${member.userId}&levelId=2`);
    const nobody = await search(`userId=${nextUserId()}`);

    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      items: [expect.objectContaining({ id: own.body.id, userId: member.userId })],
      nextCursor: null,
    });
    expect(withLevel.body).toEqual(found.body);
    expect(withOtherLevel.body).toEqual({ items: [], nextCursor: null });
    expect(nobody.body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a bad user id, and callers without members:read', async () => {
    for (const userId of ['abc', '0', '-1', '1'.repeat(21)]) {
      const error = expectError(
        await api('GET', `${V1}/admin/members?userId=${userId}`, { token: membersReader }),
        400,
        'VALIDATION_FAILED',
      );
      expect(error.details).toMatchObject({ fields: { userId: expect.any(Array) } });
    }
    expectError(
      await api('GET', `${V1}/admin/members?userId=42`, {
        token: token({ sub: '1', roles: ['admin'], perms: ['members:write'] }),
      }),
      403,
      'FORBIDDEN',
    );
  });
});
