import type { INestApplicationContext } from '@nestjs/common';
import type { SaveCampaignDto } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { AppMetrics } from '@member-system/shared/observability';
import { MemberLevelProjection } from '@member-system/shared/service';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  outboxEvents,
  publishEvent,
  waitFor,
} from '@member-system/shared/testing';
import { CampaignCatalog } from '../src/campaigns/campaign-catalog';
import { CloseCampaignsJob } from '../src/campaigns/close-campaigns.job';
import { eventDatabase } from '../src/database/data-source';
import { campaignUseCases, startEventService } from './event-service-kit';

let nextId = 6_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));
const HOUR = 3_600_000;

type Member = { memberId: string; userId: string };

describe('event-service campaigns', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(eventDatabase);
    // member-service does not run here: a member unknown to event-service cannot be asked about.
    app = await startEventService(env, { REWARD_BATCH_SIZE: 7, RPC_TIMEOUT_MS: 1000 });
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function membersAt(levelId: number, count: number): Promise<Member[]> {
    const members = Array.from({ length: count }, () => ({ memberId: newId(), userId: newId() }));
    await withTransaction(env.dataSource, async (manager) => {
      for (const member of members) {
        await app.get(MemberLevelProjection).record(manager, { ...member, levelId, version: 1 });
      }
    });
    return members;
  }

  const campaign = (overrides: Partial<SaveCampaignDto> = {}): SaveCampaignDto => ({
    title: 'Autumn challenge',
    startAt: new Date(Date.now() - HOUR).toISOString(),
    endAt: new Date(Date.now() + HOUR).toISOString(),
    completion: 'manual',
    reward: { points: 50 },
    ...overrides,
  });

  /**
   * A published campaign. A minimum level is stored directly: creating a campaign asks
   * member-service whether the level exists, and this test runs event-service alone (the check
   * itself is tested through the gateway, campaign-references.e2e-spec).
   */
  async function published(overrides: Partial<SaveCampaignDto> = {}): Promise<string> {
    const { minLevelId, ...rest } = overrides;
    const manage = campaignUseCases(app);
    const created = await manage.create(campaign(rest));
    if (minLevelId !== undefined) {
      await env.dataSource.query('UPDATE campaign SET min_level_id = ? WHERE id = ?', [
        minLevelId,
        created.id,
      ]);
      await app.get(CampaignCatalog).invalidate(created.id);
    }
    await manage.publish(created.id);
    return created.id;
  }

  const join = (member: Member, campaignId: string) =>
    campaignUseCases(app).join(member.userId, campaignId);

  async function codeOf(work: Promise<unknown>): Promise<string> {
    return work.then(
      () => 'ok',
      (error: unknown) => (error instanceof AppException ? String(error.code) : 'error'),
    );
  }

  async function settledDeliveries(): Promise<number> {
    const { values } = await app.get(AppMetrics).eventsConsumed.get();
    return values
      .filter((value) => ['handled', 'duplicate'].includes(String(value.labels['outcome'])))
      .reduce((sum, value) => sum + value.value, 0);
  }

  it('lets exactly the capacity of 500 parallel joins in, and nobody twice', async () => {
    const campaignId = await published({ capacity: 100 });
    const members = await membersAt(1, 500);

    const outcomes = await Promise.all(members.map((member) => codeOf(join(member, campaignId))));

    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(100);
    expect(outcomes.filter((outcome) => outcome === 'CAMPAIGN_FULL')).toHaveLength(400);
    const [row] = await env.dataSource.query<Array<{ joined: number; participations: string }>>(
      `SELECT c.joined, (SELECT COUNT(*) FROM participation p WHERE p.campaign_id = c.id) AS participations
         FROM campaign c WHERE c.id = ?`,
      [campaignId],
    );
    expect([Number(row?.joined), Number(row?.participations)]).toEqual([100, 100]);
    const joinedMember = members[outcomes.indexOf('ok')] as Member;
    expect(await codeOf(join(joinedMember, campaignId))).toBe('ALREADY_JOINED');
  });

  it('answers SERVICE_UNAVAILABLE, not MEMBER_NOT_FOUND, for a member it cannot ask member-service about', async () => {
    const campaignId = await published();
    const stranger = { memberId: newId(), userId: newId() };

    expect(await codeOf(join(stranger, campaignId))).toBe('SERVICE_UNAVAILABLE');
    const [row] = await env.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM participation WHERE campaign_id = ?',
      [campaignId],
    );
    expect(Number(row?.n)).toBe(0);
  });

  it('answers SERVICE_UNAVAILABLE for a campaign whose reward or level it cannot check, and stores nothing', async () => {
    const manage = campaignUseCases(app);
    const title = `Unchecked ${newId()}`;

    expect(await codeOf(manage.create(campaign({ title, minLevelId: 2 })))).toBe(
      'SERVICE_UNAVAILABLE',
    );
    expect(await codeOf(manage.create(campaign({ title, reward: { benefitId: '1' } })))).toBe(
      'SERVICE_UNAVAILABLE',
    );
    const [row] = await env.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM campaign WHERE title = ?',
      [title],
    );
    expect(Number(row?.n)).toBe(0);
  });

  it('refuses joins outside the window, to drafts and to members below the level or without the exclusive benefit', async () => {
    const [regular] = await membersAt(1, 1);
    const [gold] = await membersAt(3, 1);
    const manage = campaignUseCases(app);
    const draft = await manage.create(campaign());
    const later = await published({
      startAt: new Date(Date.now() + HOUR).toISOString(),
      endAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    const silverUp = await published({ minLevelId: 2 });
    const exclusive = await published({ exclusive: true });

    expect(await codeOf(join(regular as Member, draft.id))).toBe('CAMPAIGN_NOT_OPEN');
    expect(await codeOf(join(regular as Member, later))).toBe('CAMPAIGN_NOT_OPEN');
    expect(await codeOf(join(regular as Member, silverUp))).toBe('CAMPAIGN_NOT_ELIGIBLE');
    expect(await codeOf(join(regular as Member, exclusive))).toBe('CAMPAIGN_NOT_ELIGIBLE');
    expect(await codeOf(join(gold as Member, silverUp))).toBe('ok');
    expect(await codeOf(join(gold as Member, exclusive))).toBe('ok');
    expect(await codeOf(manage.update(silverUp, campaign()))).toBe('CAMPAIGN_STATE_CONFLICT');
    expect(await codeOf(manage.create(campaign({ completion: { event: 'x' } })))).toBe(
      'VALIDATION_FAILED',
    );
    const open = await campaignUseCases(app).openTo((regular as Member).userId);
    expect(open.map((view) => view.id)).not.toContain(silverUp);
  });

  it("follows benefit-service's announcements of which levels hold EXCLUSIVE_EVENT, newest version first", async () => {
    const [silver] = await membersAt(2, 1);
    const [gold] = await membersAt(3, 1);
    const exclusive = await published({ exclusive: true });
    const announce = (levelId: number, version: number, types: string[]) =>
      envelopeOf('benefit.level-benefits-changed.v1', {
        levelId,
        version,
        benefits: types.map((type, index) => ({ benefitId: String(index + 1), type, params: {} })),
      });
    const before = await settledDeliveries();
    await publishEvent(env.amqp, announce(2, 5, ['DISCOUNT', 'EXCLUSIVE_EVENT']));
    await publishEvent(env.amqp, announce(3, 5, ['DISCOUNT']));
    await publishEvent(env.amqp, announce(2, 4, ['DISCOUNT'])); // older: ignored
    await waitFor(async () => (await settledDeliveries()) >= before + 3, {
      what: 'three announcements',
    });

    expect(await codeOf(join(silver as Member, exclusive))).toBe('ok');
    expect(await codeOf(join(gold as Member, exclusive))).toBe('CAMPAIGN_NOT_ELIGIBLE');
  });

  it('opens a campaign to a member once their level-changed event arrives', async () => {
    const member = { memberId: newId(), userId: newId() };
    const goldOnly = await published({ minLevelId: 3 });
    const before = await settledDeliveries();
    await publishEvent(
      env.amqp,
      envelopeOf('member.registered.v1', {
        ...member,
        levelId: 1,
        registeredAt: new Date().toISOString(),
      }),
    );
    await waitFor(async () => (await settledDeliveries()) > before, { what: 'the registration' });
    expect(await codeOf(join(member, goldOnly))).toBe('CAMPAIGN_NOT_ELIGIBLE');

    await publishEvent(
      env.amqp,
      envelopeOf('member.level-changed.v1', {
        ...member,
        oldLevelId: 1,
        newLevelId: 3,
        reason: 'spending',
        version: 2,
      }),
    );
    await waitFor(
      async () =>
        (await campaignUseCases(app).openTo(member.userId)).some((view) => view.id === goldOnly),
      { what: 'the campaign open to the Gold member' },
    );
    expect(await codeOf(join(member, goldOnly))).toBe('ok');
  });

  it('completes by a qualifying order once, and rewards every completed participation exactly once over reruns', async () => {
    const campaignId = await published({
      completion: { event: 'order.completed.v1', minAmount: '300.00' },
      reward: { points: 50 },
    });
    const members = await membersAt(2, 30);
    for (const member of members) await join(member, campaignId);
    const before = await settledDeliveries();
    const order = (member: Member, amount: string) =>
      envelopeOf('order.completed.v1', {
        orderId: newId(),
        userId: member.userId,
        amount,
        currency: 'CNY',
        completedAt: new Date().toISOString(),
      });
    // 20 qualify (one order delivered twice each); 10 order too little.
    const deliveries = [
      ...members.slice(0, 20).flatMap((member) => {
        const qualifying = order(member, '300.00');
        return [qualifying, qualifying];
      }),
      ...members.slice(20).map((member) => order(member, '299.99')),
    ];
    await Promise.all(deliveries.map((delivery) => publishEvent(env.amqp, delivery)));
    await waitFor(async () => (await settledDeliveries()) >= before + deliveries.length, {
      what: 'the orders',
    });

    const { distribute } = campaignUseCases(app);
    const [first, concurrent] = await Promise.all([distribute(campaignId), distribute(campaignId)]);
    const again = await distribute(campaignId);

    expect(first.rewarded + concurrent.rewarded).toBe(20);
    expect(again).toMatchObject({
      rewarded: 0,
      totals: { participants: 30, completed: 20, rewarded: 20, pending: 0 },
      status: 'published',
    });
    const rewards = (
      await outboxEvents<{ campaignId: string; participationId: string; reward: unknown }>(
        env,
        'campaign.reward-granted.v1',
      )
    ).filter((event) => event.campaignId === campaignId);
    expect(new Set(rewards.map((event) => event.participationId)).size).toBe(20);
    expect(rewards).toHaveLength(20);
    expect(rewards[0]?.reward).toEqual({ points: 50 });
    const completed = (
      await outboxEvents<{ campaignId: string }>(env, 'campaign.completed.v1')
    ).filter((event) => event.campaignId === campaignId);
    expect(completed).toHaveLength(20);

    // Closing at the end, then a last distribution, settles it.
    const closed = await app.get(CloseCampaignsJob).run(new Date(Date.now() + 2 * HOUR));
    expect(closed.campaignIds).toContain(campaignId);
    expect(await distribute(campaignId)).toMatchObject({ rewarded: 0, status: 'settled' });
  });

  it('lets an admin complete a participation once', async () => {
    const campaignId = await published();
    const [member] = await membersAt(1, 1);
    const { participationId } = await join(member as Member, campaignId);
    const { complete } = campaignUseCases(app);

    await complete(participationId);
    const again = await complete(participationId);

    expect(again).toMatchObject({ participationId, status: 'completed' });
    const completed = (
      await outboxEvents<{ participationId: string }>(env, 'campaign.completed.v1')
    ).filter((event) => event.participationId === participationId);
    expect(completed).toHaveLength(1);
  });
});
