import type { EventType } from './event-map';
import { EVENT_PAYLOAD_CLASSES } from './event-map';
import { OrderCompletedV1 } from './platform.events';
import { validateEventPayload } from './validate-event-payload';

const at = '2026-11-25T08:00:00.000Z';
const ids = { memberId: '1001', userId: '42' };

/** One valid payload per event; typed by EventType, so a new event without an example fails to compile. */
const VALID: Record<EventType, Record<string, unknown>> = {
  'user.registered.v1': {
    userId: '42',
    nickname: 'Ann',
    phone: '13812345678',
    birthday: '1990-05-01',
  },
  'order.completed.v1': {
    orderId: '9001',
    userId: '42',
    amount: '199.00',
    currency: 'CNY',
    completedAt: at,
  },
  'order.cancelled.v1': { orderId: '9001', userId: '42' },
  'order.refund-requested.v1': { orderId: '9001', userId: '42', refundId: '77', amount: '50.00' },
  'order.refunded.v1': { orderId: '9001', userId: '42', refundId: '77', amount: '50.00' },
  'order.refund-rejected.v1': { orderId: '9001', userId: '42', refundId: '77' },
  'review.approved.v1': { reviewId: '5', userId: '42' },
  'member.registered.v1': { ...ids, levelId: 1, registeredAt: at, source: 'platform' },
  'member.profile-updated.v1': { ...ids, changedFields: ['nickname', 'phone'] },
  'member.level-changed.v1': { ...ids, oldLevelId: 1, newLevelId: 2, reason: 'spend', version: 3 },
  'member.order-credited.v1': {
    ...ids,
    orderId: '9001',
    amount: '1200.00',
    levelBefore: 1,
    levelAfter: 2,
    completedAt: at,
  },
  'member.birthday.v1': { ...ids, levelId: 2, year: 2026, date: '2026-05-06' },
  'member.erased.v1': { ...ids },
  'points.earned.v1': {
    ...ids,
    points: 199,
    source: 'order',
    sourceId: '9001',
    transactionId: '3',
    expiresAt: '2028-11-25T15:59:59.999Z',
    balanceAfter: 199,
  },
  'points.restored.v1': {
    ...ids,
    points: 30,
    orderId: '9001',
    transactionId: '77',
    balanceAfter: 130,
  },
  'points.used.v1': {
    ...ids,
    points: 100,
    source: 'order',
    sourceId: '9002',
    holdId: '8',
    transactionId: '4',
    balanceAfter: 99,
  },
  'points.frozen.v1': {
    ...ids,
    freezeId: '6',
    points: 199,
    reason: 'refund-requested',
    orderId: '9001',
    refundId: '77',
    frozenUntil: '2026-12-02T08:00:00.000Z',
    balanceAfter: 0,
  },
  'points.unfrozen.v1': {
    ...ids,
    freezeId: '6',
    points: 199,
    reason: 'refund-rejected',
    balanceAfter: 199,
  },
  'points.reversed.v1': {
    ...ids,
    orderId: '9001',
    refundId: '77',
    points: 49,
    transactionId: '5',
    balanceAfter: 150,
    debtAfter: 0,
  },
  'points.expired.v1': { ...ids, points: 10, transactionId: '6', expiredAt: at, balanceAfter: 0 },
  'points.expiring-soon.v1': { ...ids, points: 10, expiresAt: at, leadDays: 30 },
  'benefit.used.v1': {
    ...ids,
    usageId: '1',
    benefitId: '2',
    orderId: '9001',
    levelId: 3,
    orderAmount: '300.00',
    discountAmount: '15.00',
  },
  'benefit.birthday-gift-granted.v1': {
    ...ids,
    benefitId: '4',
    levelId: 3,
    year: 2026,
    points: 300,
  },
  'benefit.level-benefits-changed.v1': {
    levelId: 3,
    version: 2,
    benefits: [{ benefitId: '7', type: 'EXCLUSIVE_EVENT', params: {} }],
  },
  'campaign.joined.v1': { ...ids, campaignId: '1', participationId: '2' },
  'campaign.completed.v1': { ...ids, campaignId: '1', participationId: '2', orderId: '9001' },
  'campaign.reward-granted.v1': {
    ...ids,
    campaignId: '1',
    participationId: '2',
    reward: { points: 50 },
  },
};

describe(validateEventPayload.name, () => {
  const sut = validateEventPayload;
  const orderCompleted = VALID['order.completed.v1'];

  it.each(Object.keys(EVENT_PAYLOAD_CLASSES) as EventType[])('accepts a valid %s', (type) => {
    expect(sut(type, VALID[type])).toEqual({
      ok: true,
      value: expect.any(EVENT_PAYLOAD_CLASSES[type]),
    });
  });

  it('returns the payload as an instance of its class', () => {
    const result = sut('order.completed.v1', orderCompleted);

    expect(result).toEqual({ ok: true, value: expect.any(OrderCompletedV1) });
    expect(result.ok && result.value.amount).toBe('199.00');
  });

  it('drops unknown fields instead of rejecting them', () => {
    expect(sut('order.completed.v1', { ...orderCompleted, couponCode: 'X1' })).toEqual({
      ok: true,
      value: expect.not.objectContaining({ couponCode: expect.anything() }),
    });
  });

  it.each(['SO-2026-000123', '3f2b8c1e-6a4d-4f1b-9c3e-2a7d5e8f9b10', 'shop:eu.order_7', '9001'])(
    'accepts the opaque order id %s, kept as given',
    (orderId) => {
      expect(sut('order.completed.v1', { ...orderCompleted, orderId })).toEqual({
        ok: true,
        value: expect.objectContaining({ orderId }),
      });
    },
  );

  it.each(['', 'a b', 'x'.repeat(65), 'ord/1', 'zamówienie-1', 9001])(
    'rejects the order id %p',
    (orderId) => {
      expect(sut('order.completed.v1', { ...orderCompleted, orderId })).toEqual({
        ok: false,
        errors: [expect.stringMatching(/^orderId /)],
      });
    },
  );

  it('accepts opaque refund and review ids', () => {
    const refunded = { ...VALID['order.refunded.v1'], orderId: 'SO-1', refundId: 'RF-2026-7' };
    const review = { reviewId: 'rv_01HZX3', userId: '42', orderId: 'SO-1' };

    expect(sut('order.refunded.v1', refunded)).toMatchObject({ ok: true, value: refunded });
    expect(sut('review.approved.v1', review)).toMatchObject({ ok: true, value: review });
  });

  it('keeps userId a decimal string', () => {
    expect(sut('order.completed.v1', { ...orderCompleted, userId: 'cart-service' })).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^userId /)],
    });
  });

  it.each(['199.9', '199', '-1.00', '01.00'])('rejects the amount %s', (amount) => {
    expect(sut('order.completed.v1', { ...orderCompleted, amount })).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^amount /)],
    });
  });

  it('rejects an amount sent as a number', () => {
    expect(sut('order.completed.v1', { ...orderCompleted, amount: 199 })).toMatchObject({
      ok: false,
    });
  });

  it('rejects a missing userId', () => {
    const { userId: _userId, ...withoutUserId } = orderCompleted;

    expect(sut('order.completed.v1', withoutUserId)).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^userId /)],
    });
  });

  it('rejects a currency other than CNY', () => {
    expect(sut('order.completed.v1', { ...orderCompleted, currency: 'USD' })).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^currency /)],
    });
  });

  it.each([null, 'order', 42, [orderCompleted]])('rejects the payload %p', (payload) => {
    expect(sut('order.completed.v1', payload)).toEqual({
      ok: false,
      errors: ['payload must be an object'],
    });
  });

  it('names nested fields by their path', () => {
    const granted = { ...VALID['campaign.reward-granted.v1'], reward: { points: 1.5 } };

    expect(sut('campaign.reward-granted.v1', granted)).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^reward\.points /)],
    });
  });

  it('accepts a reward of a benefit only, and rejects an empty reward', () => {
    const granted = VALID['campaign.reward-granted.v1'];

    expect(
      sut('campaign.reward-granted.v1', { ...granted, reward: { benefitId: '7' } }),
    ).toMatchObject({
      ok: true,
    });
    expect(sut('campaign.reward-granted.v1', { ...granted, reward: {} })).toMatchObject({
      ok: false,
    });
  });

  it('rejects points that are not whole numbers', () => {
    expect(sut('points.earned.v1', { ...VALID['points.earned.v1'], points: 1.5 })).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^points /)],
    });
  });
});

describe(`${validateEventPayload.name} with droppable fields`, () => {
  const sut = validateEventPayload;
  const droppable = ['nickname', 'phone', 'email', 'birthday'];

  it('drops an invalid optional field and names it with the failed rule, not the value', () => {
    const result = sut(
      'user.registered.v1',
      { userId: '42', nickname: 'Ann', phone: '12345', email: 'not-an-email' },
      { droppable },
    );

    expect(result).toEqual({
      ok: true,
      value: expect.not.objectContaining({ phone: expect.anything(), email: expect.anything() }),
      dropped: [
        { field: 'phone', reason: 'matches' },
        { field: 'email', reason: 'isEmail' },
      ],
    });
    expect(result.ok && result.value.nickname).toBe('Ann');
    expect(JSON.stringify(result)).not.toMatch(/12345|not-an-email/);
  });

  it('still rejects the payload when a field that is not droppable is invalid', () => {
    expect(sut('user.registered.v1', { userId: 'x', phone: '12345' }, { droppable })).toMatchObject(
      { ok: false, errors: [expect.stringMatching(/^userId /), expect.any(String)] },
    );
  });

  it('drops nothing without leave to', () => {
    expect(sut('user.registered.v1', { userId: '42', phone: '12345' })).toMatchObject({
      ok: false,
    });
  });
});
