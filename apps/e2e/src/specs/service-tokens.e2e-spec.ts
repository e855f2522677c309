// Cart and order systems call the API with service tokens that name the service, not a user id.
import { waitFor } from '@member-system/shared/testing';
import type { BenefitUsageView, HoldView, PointsResult, QuoteView } from '@member-system/contracts';
import { api, expectError, memberToken, nextUserId, token, waitForBalance } from '../support/api';

const V1 = '/api/v1';
const cartService = token({ sub: 'cart-service', roles: ['service'] });
const admin = token({ sub: '1', roles: ['admin'], perms: ['points:adjust', 'members:write'] });

// Seeded from the clock, as user ids are, so reruns never reuse an order.
let lastOrderId = BigInt(Date.now()) * 1000n + 500n;
function nextOrderId(): string {
  lastOrderId += 1n;
  return lastOrderId.toString();
}

/** A Platinum member (free shipping, 8% off) holding 100 points. */
async function platinumMemberWithPoints(): Promise<string> {
  const bearer = memberToken(nextUserId());
  const registered = await api<{ id: string }>('POST', `${V1}/members`, {
    token: bearer,
    body: {},
  });
  expect(registered.status).toBe(201);
  const memberId = registered.body.id;
  await waitForBalance(bearer);
  const adjusted = await api('POST', `${V1}/admin/members/${memberId}/points/adjust`, {
    token: admin,
    body: { points: 100, reasonCode: 'COMPENSATION' },
  });
  expect(adjusted.status).toBe(200);
  const promoted = await api('PUT', `${V1}/admin/members/${memberId}/level`, {
    token: admin,
    body: { levelId: 4, reason: 'Key account' },
  });
  expect(promoted.status).toBe(200);
  return memberId;
}

describe('Service tokens with a named subject', () => {
  it('quotes, records a benefit use, holds points and reads the priority of a member the cart service names', async () => {
    const memberId = await platinumMemberWithPoints();

    // benefit-service learns the new level from member-service's event.
    const quote = await waitFor(
      async () => {
        const response = await api<QuoteView>('POST', `${V1}/benefits/quote`, {
          token: cartService,
          body: { memberId, orderAmount: '399.00', shippingFee: '12.00' },
        });
        if (response.status !== 200)
          throw new Error(`quote answered ${response.status}: ${response.text}`);
        return response.body.freeShipping ? response.body : false;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'benefit-service to see the Platinum level' },
    );
    const freeShipping = quote.appliedBenefits.find((applied) => applied.type === 'FREE_SHIPPING');
    const orderId = nextOrderId();
    const used = await api<BenefitUsageView>('POST', `${V1}/benefits/use`, {
      token: cartService,
      body: { memberId, orderId, benefitId: freeShipping?.benefitId, orderAmount: '399.00' },
    });
    const held = await api<HoldView>('POST', `${V1}/points/me/holds`, {
      token: cartService,
      body: { memberId, points: 30, orderId },
    });
    const priority = await api('GET', `${V1}/members/${memberId}/priority`, {
      token: cartService,
    });
    const captured = await api<PointsResult>(
      'POST',
      `${V1}/points/me/holds/${held.body.holdId}/capture`,
      { token: cartService, body: { memberId } },
    );

    expect(quote).toMatchObject({ discountAmount: '31.92', freeShipping: true });
    expect(used.status).toBe(200);
    expect(used.body).toMatchObject({
      benefitId: freeShipping?.benefitId,
      orderId,
      status: 'used',
    });
    expect(held.status).toBe(201);
    expect(captured.body).toMatchObject({ points: 30, balanceAfter: 70 });
    expect(priority.body).toMatchObject({ memberId, levelId: 4, priority: true });
  });

  it('answers a service token that names no member with 400 naming memberId', async () => {
    const response = await api('POST', `${V1}/points/me/holds`, {
      token: cartService,
      body: { points: 30, orderId: nextOrderId() },
    });

    const error = expectError(response, 400, 'VALIDATION_FAILED');
    expect(error.details).toMatchObject({ fields: { memberId: expect.any(Array) } });
  });

  it.each([
    ['a space', 'cart service'],
    ['65 characters', 's'.repeat(65)],
  ])('answers a service token whose subject holds %s with 401', async (_name, sub) => {
    const response = await api('POST', `${V1}/benefits/quote`, {
      token: token({ sub, roles: ['service'] }),
      body: { memberId: '1', orderAmount: '399.00' },
    });

    expectError(response, 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['a member', ['member'] as const],
    ['an admin', ['admin'] as const],
  ])(
    'answers %s token with a named subject with 401 TOKEN_USER_ID_INVALID',
    async (_name, roles) => {
      const response = await api('GET', `${V1}/members/me`, {
        token: token({ sub: 'cart-service', roles: [...roles] }),
      });

      expectError(response, 401, 'TOKEN_USER_ID_INVALID');
    },
  );
});
