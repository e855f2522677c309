import { Injectable, Module } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { parseMoney } from '@member-system/contracts';
import type { QuoteView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  outboxEvents,
  publishEvent,
  waitFor,
} from '@member-system/shared/testing';
import { benefitDatabase } from '../src/database/data-source';
import type {
  BenefitContext,
  BenefitDefinition,
  BenefitEffect,
} from '../src/benefits/plugins/benefit-plugin';
import { BenefitsModule } from '../src/benefits/benefits.module';
import { fail } from '../src/benefits/plugins/params';
import { RegisteredPlugin } from '../src/benefits/plugins/registered-plugin';
import {
  benefitUseCases,
  levelOf as levelIn,
  memberAt as memberIn,
  newId,
  settledDeliveries as settledIn,
  startBenefitService,
} from './benefit-service-kit';

/** A type this test brings along: a flat amount off orders from a minimum. */
@Injectable()
class FlatOffPlugin extends RegisteredPlugin<{ amountCents: number }> {
  readonly type = 'FLAT_OFF';

  parseParams(raw: Record<string, unknown>): { amountCents: number } {
    if (typeof raw.amount !== 'string') fail('amount', 'must be an amount like "10.00"');
    return { amountCents: parseMoney(raw.amount) };
  }

  calculate(
    benefit: BenefitDefinition<{ amountCents: number }>,
    context: BenefitContext,
  ): BenefitEffect {
    return { discountCents: Math.min(benefit.params.amountCents, context.orderAmountCents) };
  }
}

@Module({ imports: [BenefitsModule], providers: [FlatOffPlugin] })
class FlatOffModule {}

describe('benefit-service', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(benefitDatabase);
    app = await startBenefitService(env, [FlatOffModule], { RPC_TIMEOUT_MS: 1000 });
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  const levelOf = (memberId: string) => levelIn(env, memberId);
  const memberAt = (levelId: number) => memberIn(env, levelId);

  const quote = (
    memberId: string,
    orderAmount: string,
    shippingFee = '12.00',
  ): Promise<QuoteView> => benefitUseCases(app).quote({ memberId }, { orderAmount, shippingFee });

  const settledDeliveries = () => settledIn(app);

  async function errorOf(work: Promise<unknown>): Promise<{ code: string; details?: unknown }> {
    try {
      await work;
    } catch (error) {
      if (error instanceof AppException) return { code: error.code, details: error.details };
      throw error;
    }
    throw new Error('expected a refusal');
  }

  it("quotes every default level to the cent of the contract's table", async () => {
    const members = new Map<number, string>();
    for (const level of [1, 2, 3, 4, 5]) members.set(level, (await memberAt(level)).memberId);
    // [level, orderAmount] → [discountAmount, payableAmount with 12.00 shipping, multiplier, points]
    const table: Array<[number, string, string, string, string, number]> = [
      [1, '399.00', '0.00', '411.00', '1.0', 399],
      [1, '0.10', '0.00', '12.10', '1.0', 0],
      [2, '399.00', '7.98', '391.02', '1.2', 469],
      [2, '0.25', '0.01', '0.24', '1.2', 0],
      [2, '1234.56', '24.69', '1209.87', '1.2', 1451],
      [3, '399.00', '19.95', '379.05', '1.5', 568],
      [3, '0.10', '0.01', '0.09', '1.5', 0],
      [3, '99.99', '5.00', '94.99', '1.5', 142],
      [4, '399.00', '31.92', '367.08', '1.8', 660],
      [4, '1234.56', '98.76', '1135.80', '1.8', 2044],
      [5, '399.00', '47.88', '351.12', '2.0', 702],
      [5, '0.05', '0.01', '0.04', '2.0', 0],
      [5, '1234.56', '148.15', '1086.41', '2.0', 2172],
      [5, '50000.00', '6000.00', '44000.00', '2.0', 88000],
    ];
    for (const [level, amount, discount, payable, multiplier, points] of table) {
      const result = await quote(members.get(level) as string, amount);
      expect([
        level,
        amount,
        result.discountAmount,
        result.payableAmount,
        result.pointsMultiplier,
        result.estimatedPoints,
      ]).toEqual([level, amount, discount, payable, multiplier, points]);
      expect(result.freeShipping).toBe(level >= 2);
    }
    const gold = await quote(members.get(3) as string, '399.00');
    expect(gold.appliedBenefits.map((applied) => [applied.type, applied.amount])).toEqual([
      ['DISCOUNT', '19.95'],
      ['FREE_SHIPPING', '12.00'],
      ['POINTS_MULTIPLIER', '0.00'],
    ]);
    expect((await quote(members.get(1) as string, '399.00')).appliedBenefits).toEqual([]);
  });

  it('keeps the newest level when level changes arrive twice and out of order', async () => {
    const member = await memberAt(2);
    const change = (version: number, oldLevelId: number, newLevelId: number) =>
      envelopeOf('member.level-changed.v1', {
        ...member,
        oldLevelId,
        newLevelId,
        reason: 'spending',
        version,
      });
    const toGold = change(3, 2, 3);
    const toPlatinum = change(4, 3, 4);
    await publishEvent(env.amqp, toPlatinum);
    await publishEvent(env.amqp, toGold);
    await publishEvent(env.amqp, toPlatinum);
    await publishEvent(env.amqp, toGold);
    await waitFor(async () => (await levelOf(member.memberId)) === 4, {
      timeoutMs: 10_000,
      what: 'level 4',
    });
    // A quote right after the change already uses the new level (the member's cache was dropped).
    await waitFor(async () => (await quote(member.memberId, '100.00')).levelId === 4, {
      timeoutMs: 5_000,
      what: 'a Platinum quote',
    });
    const [row] = await env.dataSource.query<Array<{ version: number }>>(
      'SELECT version FROM member_level WHERE member_id = ?',
      [member.memberId],
    );
    expect(Number(row?.version)).toBe(4);
    expect((await quote(member.memberId, '100.00')).discountAmount).toBe('8.00');
  });

  it('lets exactly the quota of ten parallel free-shipping uses through; a cancellation gives one back; a repeat is one use', async () => {
    const member = await memberAt(2); // Silver: free shipping twice a month
    const [shipping] = (await benefitUseCases(app).available(member)).filter(
      (benefit) => benefit.type === 'FREE_SHIPPING',
    );
    expect(shipping?.params).toEqual({ monthlyQuota: 2 });
    const orders = Array.from({ length: 10 }, () => newId());
    const use = (orderId: string) =>
      benefitUseCases(app).use(member, {
        orderId,
        benefitId: shipping?.id ?? '',
        orderAmount: '80.00',
        shippingFee: '10.00',
      });

    const outcomes = await Promise.all(
      orders.map((orderId) =>
        use(orderId).then(
          (usage) => usage,
          (error: unknown) => (error instanceof AppException ? String(error.code) : 'error'),
        ),
      ),
    );

    const used = outcomes.filter((outcome) => typeof outcome === 'object');
    expect(used).toHaveLength(2);
    expect(outcomes.filter((outcome) => outcome === 'BENEFIT_QUOTA_EXCEEDED')).toHaveLength(8);
    const first = used[0] as { orderId: string; usageId: string; amount: string };
    expect(first.amount).toBe('10.00');
    expect((await use(first.orderId)).usageId).toBe(first.usageId);
    expect(await benefitUseCases(app).eligibility(member, shipping?.id ?? '')).toEqual({
      eligible: false,
      reason: 'QUOTA_USED_UP',
      details: { monthlyQuota: 2, usedThisMonth: 2 },
    });

    const cancel = envelopeOf('order.cancelled.v1', {
      orderId: first.orderId,
      userId: member.userId,
    });
    await publishEvent(env.amqp, cancel);
    await publishEvent(env.amqp, cancel);
    await waitFor(
      async () => (await benefitUseCases(app).eligibility(member, shipping?.id ?? '')).eligible,
      { timeoutMs: 10_000, what: 'the quota given back' },
    );

    const unused = orders.filter(
      (orderId) => !used.some((usage) => (usage as { orderId: string }).orderId === orderId),
    );
    await use(unused[0] as string);
    expect((await errorOf(use(unused[1] as string))).code).toBe('BENEFIT_QUOTA_EXCEEDED');
    // The cancelled order's use stays cancelled, and a repeat of it is refused.
    expect((await errorOf(use(first.orderId))).code).toBe('ORDER_CANCELLED');
    const [quotaRow] = await env.dataSource.query<Array<{ used: number }>>(
      'SELECT used FROM benefit_quota WHERE member_id = ? AND benefit_id = ?',
      [member.memberId, shipping?.id],
    );
    expect(Number(quotaRow?.used)).toBe(2);
    const events = (await outboxEvents<{ memberId: string }>(env, 'benefit.used.v1')).filter(
      (event) => event.memberId === member.memberId,
    );
    expect(events).toHaveLength(3);

    const stats = await benefitUseCases(app).memberStats(member, { period: 'month' });
    expect(stats.items).toEqual([
      expect.objectContaining({
        benefitId: shipping?.id,
        type: 'FREE_SHIPPING',
        uses: 2,
        amount: '20.00',
      }),
    ]);
  });

  it('refuses a use on an order whose cancellation arrived first', async () => {
    const member = await memberAt(3);
    const [discount] = (await benefitUseCases(app).available(member)).filter(
      (benefit) => benefit.type === 'DISCOUNT',
    );
    const orderId = newId();
    const before = await settledDeliveries();
    await publishEvent(
      env.amqp,
      envelopeOf('order.cancelled.v1', { orderId, userId: member.userId }),
    );
    await waitFor(async () => (await settledDeliveries()) > before, {
      timeoutMs: 10_000,
      what: 'the cancellation',
    });
    const refused = await errorOf(
      benefitUseCases(app).use(member, {
        orderId,
        benefitId: discount?.id ?? '',
        orderAmount: '100.00',
      }),
    );
    expect(refused.code).toBe('ORDER_CANCELLED');
    const [row] = await env.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM benefit_usage WHERE order_id = ?',
      [orderId],
    );
    expect(Number(row?.n)).toBe(0);
  });

  it('says why a member is not eligible', async () => {
    const member = await memberAt(1);
    const manage = benefitUseCases(app);
    const eligibility = benefitUseCases(app);
    const gold = (await manage.list({ levelId: 3, type: 'DISCOUNT' }))[0];
    expect(await eligibility.eligibility(member, gold?.id ?? '')).toMatchObject({
      eligible: false,
      reason: 'LEVEL_TOO_LOW',
    });
    const minimum = await manage.create({
      type: 'DISCOUNT',
      levelId: 1,
      name: 'Big orders',
      params: { rate: '0.90', minOrderAmount: '500.00' },
    });
    expect(await eligibility.eligibility(member, minimum.id, '499.99')).toMatchObject({
      eligible: false,
      reason: 'MIN_AMOUNT_NOT_MET',
    });
    expect(await eligibility.eligibility(member, minimum.id, '500.00')).toEqual({ eligible: true });
    const expired = await manage.create({
      type: 'FREE_SHIPPING',
      levelId: 1,
      name: 'Last week',
      params: {},
      validFrom: '2020-01-01T00:00:00Z',
      validUntil: '2020-02-01T00:00:00Z',
    });
    expect(await eligibility.eligibility(member, expired.id)).toMatchObject({
      eligible: false,
      reason: 'OUTSIDE_WINDOW',
    });
    // A 500.00 order gets the new 10 % off; a smaller one does not.
    expect((await quote(member.memberId, '500.00')).discountAmount).toBe('50.00');
    expect((await quote(member.memberId, '499.99')).discountAmount).toBe('0.00');
    await manage.remove(minimum.id);
    await manage.remove(expired.id);
    expect((await quote(member.memberId, '500.00')).discountAmount).toBe('0.00');
    expect((await errorOf(eligibility.eligibility(member, minimum.id))).code).toBe(
      'BENEFIT_NOT_FOUND',
    );
  });

  it("announces each level's benefits at start and after every change, with a rising version", async () => {
    type Announcement = { levelId: number; version: number; benefits: Array<{ type: string }> };
    const ofLevel = async (levelId: number) =>
      (await outboxEvents<Announcement>(env, 'benefit.level-benefits-changed.v1')).filter(
        (event) => event.levelId === levelId,
      );
    const [seeded] = await ofLevel(4);
    expect(seeded?.benefits.map((benefit) => benefit.type).sort()).toEqual([
      'BIRTHDAY_GIFT',
      'DISCOUNT',
      'EXCLUSIVE_EVENT',
      'FREE_SHIPPING',
      'POINTS_MULTIPLIER',
      'PRIORITY_SERVICE',
    ]);
    const manage = benefitUseCases(app);
    const added = await manage.create({
      type: 'EXCLUSIVE_EVENT',
      levelId: 4,
      name: 'More campaigns',
      params: {},
    });
    await manage.remove(added.id);
    const versions = (await ofLevel(4)).map((event) => event.version);
    expect(versions).toEqual([1, 2, 3]);
    expect((await ofLevel(4)).at(-1)?.benefits).toHaveLength(6);
  });

  it('checks each type’s params through its plugin, and takes a type a module plugged in', async () => {
    const manage = benefitUseCases(app);
    expect(
      await errorOf(
        manage.create({ type: 'DISCOUNT', levelId: 2, name: 'x', params: { rate: '1.50' } }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      await errorOf(
        manage.create({
          type: 'DISCOUNT',
          levelId: 2,
          name: 'x',
          params: { rate: '0.90', typo: 1 },
        }),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      await errorOf(manage.create({ type: 'NO_SUCH_TYPE', levelId: 2, name: 'x', params: {} })),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });

    const member = await memberAt(2);
    const flat = await manage.create({
      type: 'FLAT_OFF',
      levelId: 2,
      name: '10 off',
      params: { amount: '10.00' },
    });
    const result = await quote(member.memberId, '399.00');
    expect(result.discountAmount).toBe('17.98');
    expect(result.appliedBenefits).toContainEqual({
      benefitId: flat.id,
      type: 'FLAT_OFF',
      name: '10 off',
      amount: '10.00',
    });
    await manage.remove(flat.id);
    expect((await quote(member.memberId, '399.00')).discountAmount).toBe('7.98');
  });

  it("grants the level's birthday gift once a year, announced for point-service", async () => {
    const gold = await memberAt(3);
    const regular = await memberAt(1);
    const birthday = (member: { memberId: string; userId: string }, levelId: number) =>
      envelopeOf('member.birthday.v1', { ...member, levelId, year: 2026, date: '2026-11-25' });
    const goldBirthday = birthday(gold, 3);
    const before = await settledDeliveries();
    await publishEvent(env.amqp, goldBirthday);
    await publishEvent(env.amqp, goldBirthday);
    await publishEvent(env.amqp, birthday(gold, 3)); // another delivery of the same birthday
    await publishEvent(env.amqp, birthday(regular, 1));
    const granted = async () =>
      (
        await outboxEvents<{ memberId: string; points: number; year: number }>(
          env,
          'benefit.birthday-gift-granted.v1',
        )
      ).filter((event) => event.memberId === gold.memberId || event.memberId === regular.memberId);
    await waitFor(async () => (await settledDeliveries()) >= before + 4, {
      timeoutMs: 10_000,
      what: 'four birthday deliveries settled',
    });
    expect(await granted()).toEqual([
      expect.objectContaining({ memberId: gold.memberId, points: 300, year: 2026 }),
    ]);
  });

  it('gives a member one use of a benefit a campaign granted, whatever their level, and back on cancel', async () => {
    const member = await memberAt(1);
    const manage = benefitUseCases(app);
    const [goldDiscount] = await manage.list({ levelId: 3, type: 'DISCOUNT' });
    const reward = envelopeOf('campaign.reward-granted.v1', {
      campaignId: newId(),
      participationId: newId(),
      ...member,
      reward: { benefitId: goldDiscount?.id ?? '' },
    });
    const before = await settledDeliveries();
    await publishEvent(env.amqp, reward);
    await publishEvent(env.amqp, reward);
    await waitFor(async () => (await settledDeliveries()) >= before + 2, {
      timeoutMs: 10_000,
      what: 'the reward delivered twice',
    });

    expect((await quote(member.memberId, '100.00')).discountAmount).toBe('5.00');
    const use = (orderId: string) =>
      benefitUseCases(app).use(member, {
        orderId,
        benefitId: goldDiscount?.id ?? '',
        orderAmount: '100.00',
      });
    const firstOrder = newId();
    expect(await use(firstOrder)).toMatchObject({ amount: '5.00', status: 'used' });
    // One grant, one use: the next order is back to the Regular level.
    expect(await errorOf(use(newId()))).toMatchObject({
      code: 'BENEFIT_NOT_ELIGIBLE',
      details: expect.objectContaining({ reason: 'LEVEL_TOO_LOW' }) as unknown,
    });
    expect((await quote(member.memberId, '100.00')).discountAmount).toBe('0.00');

    const cancelled = await settledDeliveries();
    await publishEvent(
      env.amqp,
      envelopeOf('order.cancelled.v1', { orderId: firstOrder, userId: member.userId }),
    );
    await waitFor(async () => (await settledDeliveries()) > cancelled, {
      timeoutMs: 10_000,
      what: 'the cancellation',
    });
    expect((await quote(member.memberId, '100.00')).discountAmount).toBe('5.00');
  });

  it('tells customer service which members have priority', async () => {
    const platinum = await memberAt(4);
    const gold = await memberAt(3);
    const priority = benefitUseCases(app);
    expect(await priority.priority(platinum.memberId)).toMatchObject({
      levelId: 4,
      priority: true,
    });
    expect(await priority.priority(gold.memberId)).toEqual({
      memberId: gold.memberId,
      levelId: 3,
      priority: false,
      benefitId: null,
    });
    // Unknown here, and member-service (not running in this test) cannot be asked: 503, not 404.
    expect((await errorOf(priority.priority(newId()))).code).toBe('SERVICE_UNAVAILABLE');
  });
});
