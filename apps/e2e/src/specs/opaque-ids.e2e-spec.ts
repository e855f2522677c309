// Order, refund and review ids are the other platform services' own opaque strings (order systems
// use `SO-2026-000123` or UUIDs): accepted through the gateway and on the bus, kept as given, and
// compared case-sensitively. Each case failed while these ids had to be digit strings.
import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import type {
  BenefitUsageView,
  BenefitView,
  CampaignView,
  HoldView,
  MemberView,
  PointsResult,
} from '@member-system/contracts';
import { EVENT_QUEUES } from '@member-system/contracts';
import { listParked } from '@member-system/shared/messaging';
import { waitFor } from '@member-system/shared/testing';
import type { ApiResponse } from '../support/api';
import {
  api,
  expectError,
  memberToken,
  metricValue,
  nextUserId,
  token,
  waitForBalance,
} from '../support/api';
import { balanceOf, balanceReaches, credit, history } from '../support/member-points';
import type { Member } from '../support/member-points';
import { publishPlatformEvent } from '../support/events';
import { fleetInfo, queryAppSchema } from '../support/fleet';

const benefitsAdmin = token({ sub: '1', roles: ['admin'], perms: ['benefits:write'] });
const campaignsAdmin = token({ sub: '1', roles: ['admin'], perms: ['campaigns:write'] });

// Unique per run, so reruns against the same fleet never reuse an id.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
let sequence = 0;
/** An order system's id, `SO-2026-<run>-<n>`. */
const salesOrderId = (): string => `SO-2026-${run}-${(sequence += 1)}`;

const BAD_IDS: Array<[string, string]> = [
  ['an empty order id', ''],
  ['the order id "a b"', 'a b'],
  ['an order id of 65 characters', 'x'.repeat(65)],
];

async function newMember(): Promise<Member> {
  const userId = nextUserId();
  const bearer = memberToken(userId);
  const registered = await api<{ id: string }>('POST', '/api/v1/members', {
    token: bearer,
    body: {},
  });
  expect(registered.status).toBe(201);
  await waitForBalance(bearer);
  return { userId, memberId: registered.body.id, bearer };
}

const spend = (member: Member, orderId: string, points: number) =>
  api<PointsResult>('POST', '/api/v1/points/me/use', {
    token: member.bearer,
    body: { points, orderId },
  });

const completeOrder = (
  member: Member,
  orderId: string,
  amount: string,
  options: { eventId?: string } = {},
) =>
  publishPlatformEvent(
    'order.completed.v1',
    {
      orderId,
      userId: member.userId,
      amount,
      currency: 'CNY',
      completedAt: new Date().toISOString(),
    },
    options,
  );

async function countRows(app: 'member-service' | 'point-service', sql: string, params: unknown[]) {
  const [row] = await queryAppSchema(app, sql, params);
  return Number(row?.['n']);
}

async function orderCompletedOutcomes(): Promise<{ handled: number; duplicate: number }> {
  const of = (outcome: string): Promise<number> =>
    metricValue('member-service', 'ms_events_consumed_total', {
      type: 'order.completed.v1',
      outcome,
    });
  return { handled: await of('handled'), duplicate: await of('duplicate') };
}

function expectFieldError(response: ApiResponse<unknown>, field: string): void {
  const error = expectError(response, 400, 'VALIDATION_FAILED');
  expect(error.details).toMatchObject({ fields: { [field]: expect.any(Array) } });
}

/** Waits until the message with `eventId` lies in the parking queue of `queue`. */
async function waitUntilParked(queue: string, eventId: string): Promise<void> {
  const connection = await connect(fleetInfo().amqpUrl);
  try {
    const channel = await connection.createChannel();
    await waitFor(
      async () =>
        (await listParked(channel, queue, 10_000)).some((message) => message.messageId === eventId),
      { timeoutMs: 15_000, intervalMs: 200, what: `event ${eventId} parked by ${queue}` },
    );
    await channel.close();
  } finally {
    await connection.close();
  }
}

describe('opaque platform ids through the gateway', () => {
  it('spends on order SO-2026-…, holds and captures on a UUID order, and shows both ids as given', async () => {
    const member = await newMember();
    await credit(member, 100);
    const salesOrder = salesOrderId();
    const uuidOrder = randomUUID();

    const spent = await spend(member, salesOrder, 10);
    expect(spent.status).toBe(200);
    expect(spent.body).toMatchObject({ points: 10, balanceAfter: 90 });
    expect((await spend(member, salesOrder, 10)).body).toEqual(spent.body);
    const hold = await api<HoldView>('POST', '/api/v1/points/me/holds', {
      token: member.bearer,
      body: { points: 20, orderId: uuidOrder },
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ orderId: uuidOrder, points: 20, status: 'reserved' });
    const captured = await api<PointsResult>(
      'POST',
      `/api/v1/points/me/holds/${hold.body.holdId}/capture`,
      { token: member.bearer },
    );
    expect(captured.body).toMatchObject({ points: 20, balanceAfter: 70 });

    expect(await balanceOf(member)).toMatchObject({ available: 70, held: 0, lifetimeUsed: 30 });
    const rows = await history(member);
    expect(rows.filter((row) => row.source === 'order').map((row) => row.sourceId)).toEqual(
      expect.arrayContaining([salesOrder, uuidOrder]),
    );
  });

  it('takes ids that differ only in case for different orders, of one member or of two', async () => {
    const [first, second] = [await newMember(), await newMember()];
    await credit(first, 10);
    await credit(second, 10);
    const upper = salesOrderId();
    const lower = upper.toLowerCase();

    const spentUpper = await spend(first, upper, 2);
    const spentLower = await spend(first, lower, 3);
    const spentMixed = await spend(second, `So-${upper.slice(3)}`, 1);

    expect([spentUpper.status, spentLower.status, spentMixed.status]).toEqual([200, 200, 200]);
    expect(spentLower.body.transactionId).not.toBe(spentUpper.body.transactionId);
    expect((await spend(first, lower, 3)).body).toEqual(spentLower.body);
    expect(await balanceOf(first)).toMatchObject({ available: 5, lifetimeUsed: 5 });
    expect(await balanceOf(second)).toMatchObject({ available: 9, lifetimeUsed: 1 });
  });

  it.each(BAD_IDS)(
    'refuses %s with 400 VALIDATION_FAILED naming orderId, changing nothing',
    async (_what, orderId) => {
      const member = await newMember();
      await credit(member, 10);

      expectFieldError(await spend(member, orderId, 1), 'orderId');
      expectFieldError(
        await api('POST', '/api/v1/points/me/holds', {
          token: member.bearer,
          body: { points: 1, orderId },
        }),
        'orderId',
      );
      expectFieldError(
        await api('POST', '/api/v1/benefits/use', {
          token: member.bearer,
          body: { orderId, benefitId: '1', orderAmount: '399.00' },
        }),
        'orderId',
      );

      expect(await balanceOf(member)).toMatchObject({ available: 10, held: 0, lifetimeUsed: 0 });
      expect((await history(member)).map((row) => row.type)).toEqual(['adjust']);
    },
  );

  describe('benefit uses', () => {
    let benefitId: string | undefined;

    // A benefit for level 1 would change every later Regular member's quote: never leave one behind.
    afterEach(async () => {
      if (benefitId === undefined) return;
      await api('DELETE', `/api/v1/admin/benefits/${benefitId}`, { token: benefitsAdmin });
      benefitId = undefined;
    });

    it('records a use on an opaque order id once, and another on the id in another case', async () => {
      const created = await api<BenefitView>('POST', '/api/v1/admin/benefits', {
        token: benefitsAdmin,
        body: {
          type: 'FREE_SHIPPING',
          levelId: 1,
          name: 'Regular free shipping',
          params: { monthlyQuota: 5 },
        },
      });
      expect(created.status).toBe(201);
      benefitId = created.body.id;
      const member = await newMember();
      await waitFor(
        async () =>
          (await api('GET', '/api/v1/benefits/me', { token: member.bearer })).status === 200,
        { timeoutMs: 15_000, intervalMs: 100, what: 'benefit-service to know the new member' },
      );
      const orderId = salesOrderId();
      const use = (id: string) =>
        api<BenefitUsageView>('POST', '/api/v1/benefits/use', {
          token: member.bearer,
          body: { orderId: id, benefitId, orderAmount: '399.00', shippingFee: '12.00' },
        });

      const first = await use(orderId);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ orderId, amount: '12.00', status: 'used' });
      expect((await use(orderId)).body.usageId).toBe(first.body.usageId);
      const other = await use(orderId.toLowerCase());
      expect(other.status).toBe(200);
      expect(other.body.orderId).toBe(orderId.toLowerCase());
      expect(other.body.usageId).not.toBe(first.body.usageId);
    });
  });
});

describe('opaque platform ids on the bus', () => {
  it('earns once for an order with a UUID id, redelivered and re-sent under a new event id', async () => {
    const member = await newMember();
    const orderId = randomUUID();
    const before = await orderCompletedOutcomes();

    const eventId = await completeOrder(member, orderId, '100.00');
    await completeOrder(member, orderId, '100.00', { eventId });
    await completeOrder(member, orderId, '100.00');
    await balanceReaches(member, { available: 100, lifetimeEarned: 100 }, 'the order earned');
    // Every copy taken by member-service: two handled (one per eventId), the redelivery skipped.
    await waitFor(
      async () => {
        const now = await orderCompletedOutcomes();
        return now.handled - before.handled >= 2 && now.duplicate - before.duplicate >= 1;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'member-service to take all three copies' },
    );

    await expect(
      countRows(
        'member-service',
        "SELECT COUNT(*) AS n FROM outbox_message WHERE event_type = 'member.order-credited.v1' AND envelope LIKE ?",
        [`%"orderId":"${orderId}"%`],
      ),
    ).resolves.toBe(1);
    await expect(
      countRows('member-service', 'SELECT COUNT(*) AS n FROM member_order WHERE order_id = ?', [
        orderId,
      ]),
    ).resolves.toBe(1);
    await expect(
      countRows(
        'point-service',
        "SELECT COUNT(*) AS n FROM point_operation WHERE kind = 'earn:order' AND natural_key = ?",
        [orderId],
      ),
    ).resolves.toBe(1);
    const me = await api<MemberView>('GET', '/api/v1/members/me', { token: member.bearer });
    expect(me.body.totalSpent).toBe('100.00');
    expect(await balanceOf(member)).toMatchObject({ available: 100, lifetimeEarned: 100 });
  });

  it('freezes and reverses points by opaque refund ids, telling refund ids apart by case', async () => {
    const member = await newMember();
    const orderId = salesOrderId();
    await completeOrder(member, orderId, '600.00');
    await balanceReaches(member, { available: 600 }, 'the order earned');
    const refundId = `RF:${run}:1`;
    const request = (id: string, amount: string) =>
      publishPlatformEvent('order.refund-requested.v1', {
        orderId,
        userId: member.userId,
        refundId: id,
        amount,
      });

    await request(refundId, '100.00');
    await balanceReaches(member, { frozen: 100, available: 500 }, 'the refund frozen');
    await request(refundId.toLowerCase(), '50.00');
    await balanceReaches(member, { frozen: 150, available: 450 }, 'the other refund frozen');
    await publishPlatformEvent('order.refunded.v1', {
      orderId,
      userId: member.userId,
      refundId,
      amount: '100.00',
    });
    await balanceReaches(member, { frozen: 50, available: 450 }, 'the refund reversed');
    await publishPlatformEvent('order.refund-rejected.v1', {
      orderId,
      userId: member.userId,
      refundId: refundId.toLowerCase(),
    });

    await balanceReaches(member, { frozen: 0, available: 500 }, 'the other refund released');
    await waitFor(
      async () =>
        (await api<MemberView>('GET', '/api/v1/members/me', { token: member.bearer })).body
          .totalSpent === '500.00',
      { timeoutMs: 15_000, intervalMs: 100, what: 'the refund taken off the total spent' },
    );
  });

  it('gives back a spend and a hold on opaque order ids when the order is cancelled', async () => {
    const member = await newMember();
    await credit(member, 10);
    const spentOrder = salesOrderId();
    const heldOrder = randomUUID();
    expect((await spend(member, spentOrder, 4)).status).toBe(200);
    const hold = await api<HoldView>('POST', '/api/v1/points/me/holds', {
      token: member.bearer,
      body: { points: 3, orderId: heldOrder },
    });
    expect(hold.status).toBe(201);
    await balanceReaches(member, { available: 3, held: 3 }, 'the spend and the hold');

    await publishPlatformEvent('order.cancelled.v1', {
      orderId: spentOrder,
      userId: member.userId,
    });
    await publishPlatformEvent('order.cancelled.v1', { orderId: heldOrder, userId: member.userId });

    await balanceReaches(
      member,
      { available: 10, held: 0, lifetimeUsed: 0 },
      'the spend and the hold given back',
    );
    expectError(await spend(member, spentOrder, 4), 409, 'ORDER_CANCELLED');
  });

  it('earns review points for an opaque review id, once', async () => {
    const member = await newMember();
    const review = { reviewId: `rv_${run}.1`, userId: member.userId, orderId: salesOrderId() };

    await publishPlatformEvent('review.approved.v1', review);
    await publishPlatformEvent('review.approved.v1', review);
    await balanceReaches(member, { available: 10, lifetimeEarned: 10 }, 'the review earned');

    await expect(
      countRows(
        'point-service',
        "SELECT COUNT(*) AS n FROM point_operation WHERE kind = 'earn:review' AND natural_key = ?",
        [review.reviewId],
      ),
    ).resolves.toBe(1);
  });

  it('completes a campaign by an order with an opaque id, and keeps the id on the participation', async () => {
    const created = await api<CampaignView>('POST', '/api/v1/admin/campaigns', {
      token: campaignsAdmin,
      body: {
        title: `Spend 300 (${run})`,
        startAt: new Date(Date.now() - 3_600_000).toISOString(),
        endAt: new Date(Date.now() + 3_600_000).toISOString(),
        capacity: 10,
        completion: { event: 'order.completed.v1', minAmount: '300.00' },
        reward: { points: 50 },
      },
    });
    expect(created.status).toBe(201);
    await api('POST', `/api/v1/admin/campaigns/${created.body.id}/publish`, {
      token: campaignsAdmin,
    });
    const member = await newMember();
    const joined = await api('POST', `/api/v1/campaigns/${created.body.id}/join`, {
      token: member.bearer,
    });
    expect(joined.body).toMatchObject({ status: 'joined' });
    const orderId = randomUUID();

    await completeOrder(member, orderId, '300.00');

    const participation = await waitFor(
      async () => {
        const [row] = await queryAppSchema(
          'event-service',
          'SELECT status, order_id FROM participation WHERE campaign_id = ? AND user_id = ?',
          [created.body.id, member.userId],
        );
        return row?.['status'] === 'completed' ? row : false;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'the participation completed by the order' },
    );
    expect(participation['order_id']).toBe(orderId);
  });

  it('parks events whose ids are not platform ids, changing nothing', async () => {
    const member = await newMember();

    const badOrder = await completeOrder(member, 'a b', '100.00');
    const badReview = await publishPlatformEvent('review.approved.v1', {
      reviewId: 'r'.repeat(65),
      userId: member.userId,
    });
    const badRefund = await publishPlatformEvent('order.refund-requested.v1', {
      orderId: salesOrderId(),
      userId: member.userId,
      refundId: '',
      amount: '10.00',
    });

    await waitUntilParked(EVENT_QUEUES.member, badOrder);
    await waitUntilParked(EVENT_QUEUES.event, badOrder);
    await waitUntilParked(EVENT_QUEUES.point, badReview);
    await waitUntilParked(EVENT_QUEUES.point, badRefund);
    expect(await balanceOf(member)).toMatchObject({ available: 0, frozen: 0, lifetimeEarned: 0 });
    const me = await api<MemberView>('GET', '/api/v1/members/me', { token: member.bearer });
    expect(me.body.totalSpent).toBe('0.00');
  });
});
