import type {
  BenefitStatsView,
  BenefitUsageView,
  BenefitView,
  EligibilityView,
  PriorityView,
  QuoteView,
} from '@member-system/contracts';
import { waitFor } from '@member-system/shared/testing';
import type { ApiOptions, ApiResponse, Method } from '../support/api';
import { allPages, api, expectError, memberToken, nextUserId, token } from '../support/api';

const V1 = '/api/v1';
const benefitsAdmin = token({ sub: '1', roles: ['admin'], perms: ['benefits:write'] });
const serviceToken = token({ sub: '1', roles: ['service'], perms: [] });
const GOLD_DISCOUNT = {
  type: 'DISCOUNT',
  levelId: 3,
  name: 'Gold 5% off',
  params: { rate: '0.95' },
};

// Seeded from the clock, as user ids are, so reruns never reuse an order.
let lastOrderId = BigInt(Date.now()) * 1000n;
function nextOrderId(): string {
  lastOrderId += 1n;
  return lastOrderId.toString();
}

/** Registers a new member (level 1, Regular) and waits until benefit-service knows them. */
async function registerRegularMember(): Promise<{ memberId: string; bearer: string }> {
  const bearer = memberToken(nextUserId());
  const registered = await api<{ id: string }>('POST', `${V1}/members`, {
    token: bearer,
    body: {},
  });
  expect(registered.status).toBe(201);
  await waitFor(
    async () => {
      const response = await api('GET', `${V1}/benefits/me`, { token: bearer });
      if (response.status !== 200) {
        throw new Error(`GET /benefits/me answered ${response.status}: ${response.text}`);
      }
      return true;
    },
    { timeoutMs: 15_000, intervalMs: 100, what: 'benefit-service to know the new member' },
  );
  return { memberId: registered.body.id, bearer };
}

function quote(bearer: string, body: Record<string, unknown>) {
  return api<QuoteView>('POST', `${V1}/benefits/quote`, { token: bearer, body });
}

function expectFieldError(response: ApiResponse<unknown>, field: string): void {
  const error = expectError(response, 400, 'VALIDATION_FAILED');
  expect(error.details).toMatchObject({ fields: { [field]: expect.any(Array) } });
}

// Always three elements: a shorter row would hand the test Jest's `done` callback as its options.
type Route = [Method, string, ApiOptions];

const VALID_QUOTE = { orderAmount: '399.00', shippingFee: '12.00' };
const VALID_USE = { orderId: '1', benefitId: '1', orderAmount: '399.00' };

const ADMIN_ROUTES: Route[] = [
  ['GET', '/admin/benefits', {}],
  ['POST', '/admin/benefits', { body: GOLD_DISCOUNT }],
  ['PUT', '/admin/benefits/1', { body: GOLD_DISCOUNT }],
  ['DELETE', '/admin/benefits/1', {}],
  ['GET', '/admin/benefits/1/stats', {}],
];

const EVERY_ROUTE: Route[] = [
  ['GET', '/benefits/me', {}],
  ['GET', '/benefits/me/1/eligibility', {}],
  ['POST', '/benefits/quote', { body: VALID_QUOTE }],
  ['POST', '/benefits/use', { body: VALID_USE }],
  ['GET', '/benefits/me/stats', {}],
  ['GET', '/members/1/priority', {}],
  ...ADMIN_ROUTES,
];

describe('benefit routes: callers the gateway refuses', () => {
  it.each(EVERY_ROUTE)(
    'answers %s %s without a token with 401 UNAUTHENTICATED',
    async (method, path, options) => {
      expectError(await api(method, `${V1}${path}`, options), 401, 'UNAUTHENTICATED');
    },
  );

  it.each(ADMIN_ROUTES)(
    'answers a member on %s %s with 403 FORBIDDEN',
    async (method, path, options) => {
      const bearer = memberToken(nextUserId());

      expectError(
        await api(method, `${V1}${path}`, { ...options, token: bearer }),
        403,
        'FORBIDDEN',
      );
    },
  );

  it.each(ADMIN_ROUTES)(
    'answers an admin without benefits:write on %s %s with 403 FORBIDDEN',
    async (method, path, options) => {
      const admin = token({
        sub: '1',
        roles: ['admin'],
        perms: ['members:read', 'members:write', 'levels:write', 'points:adjust', 'system:write'],
      });

      expectError(
        await api(method, `${V1}${path}`, { ...options, token: admin }),
        403,
        'FORBIDDEN',
      );
    },
  );

  it.each<[string, string]>([
    ['a member', memberToken(nextUserId())],
    ['an admin without members:read', benefitsAdmin],
  ])('answers %s asking for a member priority with 403 FORBIDDEN', async (_name, bearer) => {
    expectError(await api('GET', `${V1}/members/1/priority`, { token: bearer }), 403, 'FORBIDDEN');
  });

  it.each<Route>([
    ['GET', '/benefits/me', {}],
    ['GET', '/benefits/me/1/eligibility', {}],
    ['GET', '/benefits/me/stats', {}],
  ])(
    'answers a service token on the member route %s %s with 403 FORBIDDEN',
    async (method, path) => {
      expectError(await api(method, `${V1}${path}`, { token: serviceToken }), 403, 'FORBIDDEN');
    },
  );

  it('answers an admin token on the checkout routes with 403 FORBIDDEN', async () => {
    const admin = token({ sub: '1', roles: ['admin'], perms: ['benefits:write', 'members:read'] });

    expectError(
      await api('POST', `${V1}/benefits/quote`, { token: admin, body: VALID_QUOTE }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await api('POST', `${V1}/benefits/use`, { token: admin, body: VALID_USE }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('benefit routes: input the gateway refuses with 400 VALIDATION_FAILED naming the field', () => {
  const member = memberToken(nextUserId());

  it.each<[string, string, string]>([
    ['abc', '', 'benefitId'],
    ['-1', '', 'benefitId'],
    ['1.5', '', 'benefitId'],
    ['1'.repeat(21), '', 'benefitId'],
    ['1', 'orderAmount=399', 'orderAmount'],
    ['1', 'orderAmount=399.9', 'orderAmount'],
    ['1', 'orderAmount=-1.00', 'orderAmount'],
    ['1', 'orderAmount=abc', 'orderAmount'],
    ['1', 'foo=1', 'foo'],
  ])('eligibility of benefit %p with the query %p', async (benefitId, query, field) => {
    const path = `${V1}/benefits/me/${benefitId}/eligibility?${query}`;

    expectFieldError(await api('GET', path, { token: member }), field);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no order amount', { shippingFee: '12.00' }, 'orderAmount'],
    ['an order amount without cents', { orderAmount: '399' }, 'orderAmount'],
    ['an order amount as a number', { orderAmount: 399 }, 'orderAmount'],
    ['a negative shipping fee', { orderAmount: '399.00', shippingFee: '-12.00' }, 'shippingFee'],
    ['an unknown field', { ...VALID_QUOTE, coupon: 'X' }, 'coupon'],
    ['a memberId from a member token', { ...VALID_QUOTE, memberId: '1' }, 'memberId'],
  ])('a member quote with %s', async (_name, body, field) => {
    expectFieldError(await quote(member, body), field);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no memberId', VALID_QUOTE, 'memberId'],
    ['a memberId that is not an id', { ...VALID_QUOTE, memberId: 'abc' }, 'memberId'],
  ])('a service token quote with %s', async (_name, body, field) => {
    expectFieldError(await quote(serviceToken, body), field);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    ['by a member without an orderId', member, { ...VALID_USE, orderId: undefined }, 'orderId'],
    [
      'by a member with a benefitId that is not an id',
      member,
      { ...VALID_USE, benefitId: 'x' },
      'benefitId',
    ],
    [
      'by a member with three decimals',
      member,
      { ...VALID_USE, orderAmount: '399.999' },
      'orderAmount',
    ],
    ['by a member naming a memberId', member, { ...VALID_USE, memberId: '1' }, 'memberId'],
    ['by a service token without a memberId', serviceToken, VALID_USE, 'memberId'],
  ])('a use %s', async (_name, bearer, body, field) => {
    expectFieldError(await api('POST', `${V1}/benefits/use`, { token: bearer, body }), field);
  });

  it('a use with an Idempotency-Key over 128 characters', async () => {
    const response = await api('POST', `${V1}/benefits/use`, {
      token: member,
      body: VALID_USE,
      headers: { 'Idempotency-Key': 'k'.repeat(129) },
    });

    expectFieldError(response, 'Idempotency-Key');
  });

  it.each<[string, string]>([
    ['period=week', 'period'],
    ['from=yesterday', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['foo=1', 'foo'],
  ])('member stats with %s', async (query, field) => {
    expectFieldError(
      await api('GET', `${V1}/benefits/me/stats?${query}`, { token: member }),
      field,
    );
  });

  it('a priority for a member id that is not an id', async () => {
    expectFieldError(
      await api('GET', `${V1}/members/abc/priority`, { token: serviceToken }),
      'memberId',
    );
  });

  it.each<[string, string]>([
    ['levelId=abc', 'levelId'],
    ['levelId=0', 'levelId'],
    ['levelId=1.5', 'levelId'],
    ['type=discount', 'type'],
    ['foo=1', 'foo'],
  ])('the admin list with %s', async (query, field) => {
    expectFieldError(
      await api('GET', `${V1}/admin/benefits?${query}`, { token: benefitsAdmin }),
      field,
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a type not in upper case', { ...GOLD_DISCOUNT, type: 'discount' }, 'type'],
    ['a level id as a string', { ...GOLD_DISCOUNT, levelId: '3' }, 'levelId'],
    ['no name', { ...GOLD_DISCOUNT, name: undefined }, 'name'],
    ['params that are not an object', { ...GOLD_DISCOUNT, params: 'rate=0.95' }, 'params'],
    ['a validFrom that is not a time', { ...GOLD_DISCOUNT, validFrom: 'tomorrow' }, 'validFrom'],
    ['a benefitId in the body', { ...GOLD_DISCOUNT, benefitId: '1' }, 'benefitId'],
  ])('an admin saving a benefit with %s', async (_name, body, field) => {
    expectFieldError(
      await api('POST', `${V1}/admin/benefits`, { token: benefitsAdmin, body }),
      field,
    );
    expectFieldError(
      await api('PUT', `${V1}/admin/benefits/1`, { token: benefitsAdmin, body }),
      field,
    );
  });

  it.each<Route>([
    ['PUT', '/admin/benefits/abc', { body: GOLD_DISCOUNT }],
    ['DELETE', '/admin/benefits/abc', {}],
    ['GET', '/admin/benefits/abc/stats', {}],
  ])('the admin route %s %s with a benefit id that is not an id', async (method, path, options) => {
    expectFieldError(
      await api(method, `${V1}${path}`, { ...options, token: benefitsAdmin }),
      'benefitId',
    );
  });

  it('admin stats with an unknown period', async () => {
    expectFieldError(
      await api('GET', `${V1}/admin/benefits/1/stats?period=week`, { token: benefitsAdmin }),
      'period',
    );
  });
});

// These need benefit-service: its seeded defaults (docs/api/contract.md, "Defaults"), quotes and uses.
describe('benefits through the gateway', () => {
  const createdBenefits = new Set<string>();

  async function createBenefit(body: Record<string, unknown>): Promise<BenefitView> {
    const response = await api<BenefitView>('POST', `${V1}/admin/benefits`, {
      token: benefitsAdmin,
      body,
    });
    expect(response.status).toBe(201);
    createdBenefits.add(response.body.id);
    return response.body;
  }

  async function removeBenefit(benefitId: string) {
    const response = await api('DELETE', `${V1}/admin/benefits/${benefitId}`, {
      token: benefitsAdmin,
    });
    if (response.status === 204) createdBenefits.delete(benefitId);
    return response;
  }

  // A benefit for level 1 would change every later Regular member's quote: never leave one behind.
  afterEach(async () => {
    for (const benefitId of [...createdBenefits]) await removeBenefit(benefitId);
  });

  it('refuses a benefit of a type no plugin registers with 400 VALIDATION_FAILED naming the type', async () => {
    const response = await api('POST', `${V1}/admin/benefits`, {
      token: benefitsAdmin,
      body: { ...GOLD_DISCOUNT, type: 'CASHBACK' },
    });

    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details).toMatchObject({ fields: { type: expect.any(Array) } });
  });

  it('lists the seeded benefits of a level, and of a type, to admins', async () => {
    const gold = await allPages<BenefitView>(`${V1}/admin/benefits?levelId=3`, benefitsAdmin);
    expect(new Set(gold.items.map((benefit) => benefit.levelId))).toEqual(new Set([3]));
    expect(gold.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'DISCOUNT',
          params: expect.objectContaining({ rate: '0.95' }),
        }),
        expect.objectContaining({
          type: 'FREE_SHIPPING',
          params: expect.objectContaining({ monthlyQuota: 5 }),
        }),
        expect.objectContaining({
          type: 'POINTS_MULTIPLIER',
          params: expect.objectContaining({ multiplier: '1.5' }),
        }),
        expect.objectContaining({
          type: 'BIRTHDAY_GIFT',
          params: expect.objectContaining({ points: 300 }),
        }),
        expect.objectContaining({ type: 'EXCLUSIVE_EVENT' }),
      ]),
    );
    expect(gold.items.map((benefit) => benefit.type)).not.toContain('PRIORITY_SERVICE');

    const priority = await allPages<BenefitView>(
      `${V1}/admin/benefits?type=PRIORITY_SERVICE`,
      benefitsAdmin,
    );
    expect(priority.items.map((benefit) => benefit.levelId)).toEqual([4, 5]);
  });

  it("shows a Regular member their level's benefits and quotes an order without discount or free shipping", async () => {
    const { memberId, bearer } = await registerRegularMember();

    const mine = await allPages<BenefitView>(`${V1}/benefits/me`, bearer);
    expect(mine.items.every((benefit) => benefit.levelId === 1)).toBe(true);
    expect(mine.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'POINTS_MULTIPLIER',
          params: expect.objectContaining({ multiplier: '1.0' }),
        }),
      ]),
    );

    const response = await quote(bearer, VALID_QUOTE);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      memberId,
      levelId: 1,
      orderAmount: '399.00',
      shippingFee: '12.00',
      discountAmount: '0.00',
      freeShipping: false,
      payableAmount: '411.00',
      pointsMultiplier: '1.0',
      estimatedPoints: 399,
    });
    const appliedTypes = response.body.appliedBenefits.map((applied) => applied.type);
    expect(appliedTypes).not.toContain('DISCOUNT');
    expect(appliedTypes).not.toContain('FREE_SHIPPING');
  });

  it('refuses a Regular member a Gold benefit, and answers 404 for a benefit that does not exist', async () => {
    const { bearer } = await registerRegularMember();
    const gold = await allPages<BenefitView>(
      `${V1}/admin/benefits?levelId=3&type=DISCOUNT`,
      benefitsAdmin,
    );
    const goldDiscount = gold.items[0] as BenefitView;

    const eligibility = await api<EligibilityView>(
      'GET',
      `${V1}/benefits/me/${goldDiscount.id}/eligibility?orderAmount=399.00`,
      { token: bearer },
    );
    expect(eligibility.status).toBe(200);
    expect(eligibility.body).toMatchObject({ eligible: false, reason: 'LEVEL_TOO_LOW' });
    expectError(
      await api('POST', `${V1}/benefits/use`, {
        token: bearer,
        body: { orderId: nextOrderId(), benefitId: goldDiscount.id, orderAmount: '399.00' },
      }),
      422,
      'BENEFIT_NOT_ELIGIBLE',
    );
    expectError(
      await api('GET', `${V1}/benefits/me/99999999999999999/eligibility`, { token: bearer }),
      404,
      'BENEFIT_NOT_FOUND',
    );
  });

  it("applies a discount an admin adds to the member's level at once, follows its change, and drops it when deleted", async () => {
    const { bearer } = await registerRegularMember();
    await quote(bearer, VALID_QUOTE); // the level's benefits are now cached

    const discount = await createBenefit({
      type: 'DISCOUNT',
      levelId: 1,
      name: 'Regular 10% off',
      params: { rate: '0.90' },
    });
    expect(discount).toMatchObject({ type: 'DISCOUNT', levelId: 1, enabled: true });
    const discounted = await quote(bearer, VALID_QUOTE);
    expect(discounted.body).toMatchObject({
      discountAmount: '39.90',
      payableAmount: '371.10',
      estimatedPoints: 359,
    });
    expect(discounted.body.appliedBenefits).toContainEqual(
      expect.objectContaining({ benefitId: discount.id, type: 'DISCOUNT', amount: '39.90' }),
    );
    const mine = await allPages<BenefitView>(`${V1}/benefits/me`, bearer);
    expect(mine.items.map((benefit) => benefit.id)).toContain(discount.id);

    const updated = await api<BenefitView>('PUT', `${V1}/admin/benefits/${discount.id}`, {
      token: benefitsAdmin,
      body: { type: 'DISCOUNT', levelId: 1, name: 'Regular 20% off', params: { rate: '0.80' } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: discount.id, name: 'Regular 20% off' });
    expect((await quote(bearer, VALID_QUOTE)).body).toMatchObject({
      discountAmount: '79.80',
      payableAmount: '331.20',
    });

    const removed = await removeBenefit(discount.id);
    expect({ status: removed.status, text: removed.text }).toEqual({ status: 204, text: '' });
    expectError(await removeBenefit(discount.id), 404, 'BENEFIT_NOT_FOUND');
    const undiscounted = await quote(bearer, VALID_QUOTE);
    expect(undiscounted.body).toMatchObject({ discountAmount: '0.00', payableAmount: '411.00' });
    expect(undiscounted.body.appliedBenefits.map((applied) => applied.benefitId)).not.toContain(
      discount.id,
    );
  });

  it('records one free-shipping use per order, refuses the quota-exceeding order, and counts the use in the stats', async () => {
    const { bearer } = await registerRegularMember();
    const freeShipping = await createBenefit({
      type: 'FREE_SHIPPING',
      levelId: 1,
      name: 'Regular free shipping once a month',
      params: { monthlyQuota: 1 },
    });
    const eligibilityPath = `${V1}/benefits/me/${freeShipping.id}/eligibility`;
    const use = (orderId: string, headers: Record<string, string> = {}) =>
      api<BenefitUsageView>('POST', `${V1}/benefits/use`, {
        token: bearer,
        body: { orderId, benefitId: freeShipping.id, ...VALID_QUOTE },
        headers,
      });

    expect(
      (await api<EligibilityView>('GET', eligibilityPath, { token: bearer })).body,
    ).toMatchObject({
      eligible: true,
    });
    expect((await quote(bearer, VALID_QUOTE)).body).toMatchObject({
      freeShipping: true,
      payableAmount: '399.00',
    });

    const firstOrder = nextOrderId();
    const first = await use(firstOrder, { 'Idempotency-Key': `use-${firstOrder}` });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      benefitId: freeShipping.id,
      type: 'FREE_SHIPPING',
      orderId: firstOrder,
      amount: '12.00',
      status: 'used',
    });
    const sameOrder = await use(firstOrder);
    expect(sameOrder.status).toBe(200);
    expect(sameOrder.body.usageId).toBe(first.body.usageId);
    expectError(await use(nextOrderId()), 422, 'BENEFIT_QUOTA_EXCEEDED');
    expect(
      (await api<EligibilityView>('GET', eligibilityPath, { token: bearer })).body,
    ).toMatchObject({
      eligible: false,
      reason: 'QUOTA_USED_UP',
    });

    const mine = await api<BenefitStatsView>('GET', `${V1}/benefits/me/stats`, { token: bearer });
    expect(mine.status).toBe(200);
    expect(mine.body.period).toBe('month');
    expect(mine.body.items.filter((row) => row.benefitId === freeShipping.id)).toEqual([
      expect.objectContaining({ type: 'FREE_SHIPPING', uses: 1, amount: '12.00' }),
    ]);
    const all = await api<BenefitStatsView>(
      'GET',
      `${V1}/admin/benefits/${freeShipping.id}/stats?period=year`,
      { token: benefitsAdmin },
    );
    expect(all.body.period).toBe('year');
    expect(all.body.items).toEqual([
      expect.objectContaining({ benefitId: freeShipping.id, uses: 1, amount: '12.00' }),
    ]);
  });

  it('quotes for a member a service token names, and tells services and members:read admins about priority', async () => {
    const { memberId } = await registerRegularMember();

    const response = await quote(serviceToken, { ...VALID_QUOTE, memberId });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      memberId,
      levelId: 1,
      discountAmount: '0.00',
      payableAmount: '411.00',
      estimatedPoints: 399,
    });

    const membersReader = token({ sub: '1', roles: ['admin'], perms: ['members:read'] });
    for (const bearer of [serviceToken, membersReader]) {
      const priority = await api<PriorityView>('GET', `${V1}/members/${memberId}/priority`, {
        token: bearer,
      });
      expect(priority.status).toBe(200);
      expect(priority.body).toEqual({ memberId, levelId: 1, priority: false, benefitId: null });
    }
  });
});
