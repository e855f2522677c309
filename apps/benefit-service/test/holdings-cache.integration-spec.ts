import type { INestApplicationContext } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { EVENT_QUEUES } from '@member-system/contracts';
import type { QuoteView } from '@member-system/contracts';
import { AppMetrics } from '@member-system/shared/observability';
import { REDIS } from '@member-system/shared/service';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  publishEvent,
  undeliveredIn,
  waitFor,
} from '@member-system/shared/testing';
import { Grants } from '../src/benefits/grants';
import { HoldingsCache } from '../src/benefits/holdings-cache';
import { monthsAround } from '../src/benefits/holdings';
import { Quotas } from '../src/benefits/quotas';
import { benefitDatabase } from '../src/database/data-source';
import {
  benefitUseCases,
  memberAt,
  newId,
  settledDeliveries,
  startBenefitService,
} from './benefit-service-kit';

type Member = { memberId: string; userId: string };

/** Reads of the holdings cache that ended as `result` (local_hit, redis_hit, miss). */
async function holdingsReads(app: INestApplicationContext, result: string): Promise<number> {
  const { values } = await app
    .get(AppMetrics)
    .registry.getSingleMetric('ms_cache_requests_total')!
    .get();
  return values
    .filter((value) => value.labels['cache'] === 'member:holdings')
    .filter((value) => value.labels['result'] === result)
    .reduce((sum, value) => sum + value.value, 0);
}

const quoteOf = (app: INestApplicationContext, memberId: string): Promise<QuoteView> =>
  benefitUseCases(app).quote({ memberId }, { orderAmount: '100.00', shippingFee: '12.00' });

async function waitForSettled(app: INestApplicationContext, count: number): Promise<void> {
  await waitFor(async () => (await settledDeliveries(app)) >= count, {
    timeoutMs: 10_000,
    what: `${count} settled deliveries`,
  });
}

describe(HoldingsCache.name, () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(benefitDatabase);
    // One event transaction at a time, so a test can make events wait and be handled as a batch.
    app = await startBenefitService(env, [], { EVENT_PREFETCH: 8, EVENT_BATCH_SIZE: 8 });
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  const quote = (memberId: string) => quoteOf(app, memberId);

  async function goldDiscountId(): Promise<string> {
    const [discount] = await benefitUseCases(app).list({ levelId: 3, type: 'DISCOUNT' });
    return discount?.id ?? '';
  }

  async function silverShippingId(): Promise<string> {
    const [shipping] = await benefitUseCases(app).list({ levelId: 2, type: 'FREE_SHIPPING' });
    return shipping?.id ?? '';
  }

  function rewardOf(member: Member, benefitId: string) {
    return envelopeOf('campaign.reward-granted.v1', {
      campaignId: newId(),
      participationId: newId(),
      ...member,
      reward: { benefitId },
    });
  }

  async function publishAndSettle(...envelopes: Array<Parameters<typeof publishEvent>[1]>) {
    const before = await settledDeliveries(app);
    for (const envelope of envelopes) await publishEvent(env.amqp, envelope);
    await waitForSettled(app, before + envelopes.length);
  }

  it('quotes a campaign grant at once after it is recorded, taken by an order and given back by its cancellation', async () => {
    const member = await memberAt(env, 1);
    const benefitId = await goldDiscountId();
    expect((await quote(member.memberId)).discountAmount).toBe('0.00'); // cached without the grant

    await publishAndSettle(rewardOf(member, benefitId));
    expect((await quote(member.memberId)).discountAmount).toBe('5.00');

    const orderId = newId();
    await benefitUseCases(app).use(member, { orderId, benefitId, orderAmount: '100.00' });
    expect((await quote(member.memberId)).discountAmount).toBe('0.00');

    await publishAndSettle(envelopeOf('order.cancelled.v1', { orderId, userId: member.userId }));
    expect((await quote(member.memberId)).discountAmount).toBe('5.00');
  });

  it("quotes the month's quota uses at once after each use and after a cancellation gives one back", async () => {
    const member = await memberAt(env, 2); // Silver: free shipping twice a month
    const benefitId = await silverShippingId();
    const use = (orderId: string) =>
      benefitUseCases(app).use(member, {
        orderId,
        benefitId,
        orderAmount: '80.00',
        shippingFee: '10.00',
      });
    expect((await quote(member.memberId)).freeShipping).toBe(true);

    const [first, second] = [newId(), newId()];
    await use(first);
    expect((await quote(member.memberId)).freeShipping).toBe(true);
    await use(second);
    expect((await quote(member.memberId)).freeShipping).toBe(false);

    // The key holds the month: the next one starts with no uses, whatever this one cached.
    const period = app.get(Quotas).periodOf(new Date());
    const [, , nextMonth] = monthsAround(period);
    const holdings = app.get(HoldingsCache);
    expect((await holdings.of(member.memberId, period)).used.get(benefitId)).toBe(2);
    expect((await holdings.of(member.memberId, nextMonth)).used.size).toBe(0);

    await publishAndSettle(
      envelopeOf('order.cancelled.v1', { orderId: first, userId: member.userId }),
    );
    expect((await quote(member.memberId)).freeShipping).toBe(true);
  });

  it('drops the holdings of every member of a batch of events once the batch commits', async () => {
    const members = [await memberAt(env, 1), await memberAt(env, 1), await memberAt(env, 1)];
    const benefitId = await goldDiscountId();
    for (const member of members)
      expect((await quote(member.memberId)).discountAmount).toBe('0.00');
    const batchSum = async () =>
      (await app.get(AppMetrics).eventBatchSize.get()).values.find(
        (value) => value.metricName === 'ms_event_batch_size_sum',
      )?.value ?? 0;
    const batchedBefore = await batchSum();
    const before = await settledDeliveries(app);

    // The one event transaction waits on this order's row while the rewards arrive behind it.
    const blockedOrder = newId();
    const holder = env.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('INSERT INTO benefit_order (order_id) VALUES (?)', [blockedOrder]);
      await publishEvent(
        env.amqp,
        envelopeOf('order.cancelled.v1', { orderId: blockedOrder, userId: newId() }),
      );
      for (const member of members) await publishEvent(env.amqp, rewardOf(member, benefitId));
      await waitFor(async () => (await undeliveredIn(env.amqp, EVENT_QUEUES.benefit)) === 0, {
        timeoutMs: 10_000,
        what: 'the rewards to wait in the consumer',
      });
      await holder.commitTransaction();
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    await waitForSettled(app, before + 1 + members.length);

    expect((await batchSum()) - batchedBefore).toBe(members.length);
    for (const member of members)
      expect((await quote(member.memberId)).discountAmount).toBe('5.00');
  });

  it('serves a repeated quote from Redis, without reading MySQL, for 5 minutes at most', async () => {
    const member = await memberAt(env, 2);
    await quote(member.memberId);
    const dataSource = app.get(DataSource);
    const reads = jest.spyOn(dataSource.manager, 'query');
    const before = {
      hits: await holdingsReads(app, 'redis_hit'),
      misses: await holdingsReads(app, 'miss'),
    };
    try {
      expect((await quote(member.memberId)).freeShipping).toBe(true);
      const holdingsQueries = reads.mock.calls.filter(([sql]) =>
        /benefit_grant|benefit_quota/.test(String(sql)),
      );
      expect(holdingsQueries).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    expect(await holdingsReads(app, 'redis_hit')).toBe(before.hits + 1);
    expect(await holdingsReads(app, 'miss')).toBe(before.misses);
    const period = app.get(Quotas).periodOf(new Date());
    const ttl = await app.get<Redis>(REDIS).pttl(`member:holdings:${member.memberId}:${period}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300_000);
  });

  it('refuses a grant or quota write in a transaction that would not drop the cached holdings', async () => {
    const member = await memberAt(env, 1);
    const manager = app.get(DataSource).manager;
    const period = app.get(Quotas).periodOf(new Date());

    await expect(
      app.get(Quotas).take(manager, member.memberId, await silverShippingId(), period),
    ).rejects.toThrow(/HoldingsCache/);
    await expect(
      app.get(Grants).record(manager, rewardOf(member, await goldDiscountId()).payload),
    ).rejects.toThrow(/HoldingsCache/);
    const [row] = await env.dataSource.query<Array<{ n: string }>>(
      `SELECT (SELECT COUNT(*) FROM benefit_quota WHERE member_id = ?)
            + (SELECT COUNT(*) FROM benefit_grant WHERE member_id = ?) AS n`,
      [member.memberId, member.memberId],
    );
    expect(Number(row?.n)).toBe(0);
  });
});

describe(`${HoldingsCache.name} with Redis unreachable`, () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(benefitDatabase);
    // Nothing listens on port 1: every Redis command fails at once.
    app = await startBenefitService(env, [], { REDIS_PORT: 1 });
    app.get<Redis>(REDIS).on('error', () => undefined); // the outage is the point
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  it('quotes from MySQL, and sees a quota use at once', async () => {
    const member = await memberAt(env, 2);
    const [shipping] = await benefitUseCases(app).list({ levelId: 2, type: 'FREE_SHIPPING' });
    const misses = await holdingsReads(app, 'miss');

    expect((await quoteOf(app, member.memberId)).freeShipping).toBe(true);
    for (const orderId of [newId(), newId()]) {
      await benefitUseCases(app).use(member, {
        orderId,
        benefitId: shipping?.id ?? '',
        orderAmount: '80.00',
        shippingFee: '10.00',
      });
    }
    expect((await quoteOf(app, member.memberId)).freeShipping).toBe(false);

    expect(await holdingsReads(app, 'miss')).toBe(misses + 2);
    const { values } = await app
      .get(AppMetrics)
      .registry.getSingleMetric('ms_cache_redis_errors_total')!
      .get();
    expect(
      values.some(
        (value) =>
          value.labels['cache'] === 'member:holdings' &&
          value.labels['operation'] === 'read' &&
          value.value > 0,
      ),
    ).toBe(true);
  });
});
