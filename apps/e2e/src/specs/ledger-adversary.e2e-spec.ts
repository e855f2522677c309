// The ledger's defects found by trying the fleet as an adversary would: each case failed before
// the ledger scoped its keys to the member, refused cancelled orders, kept admin credits apart,
// froze refunds in proportion and wrote every movement into the history.
import type { HoldView, PointsResult } from '@member-system/contracts';
import { api, expectError, memberToken, nextUserId, token, waitForBalance } from '../support/api';
import { balanceOf, balanceReaches, credit, history } from '../support/member-points';
import type { Member } from '../support/member-points';
import { publishPlatformEvent } from '../support/events';
import { queryAppSchema } from '../support/fleet';

let lastOrderId = BigInt(Date.now()) * 1000n + 500n;
const nextOrderId = (): string => (lastOrderId += 1n).toString();

const pointsAdmin = token({ sub: '1', roles: ['admin'], perms: ['points:adjust', 'members:read'] });

async function newMember(): Promise<Member> {
  const userId = nextUserId();
  const bearer = memberToken(userId);
  const registered = await api<{ id: string }>('POST', '/api/v1/members', {
    token: bearer,
    body: {},
  });
  await waitForBalance(bearer);
  return { userId, memberId: registered.body.id, bearer };
}

async function orderEarned(member: Member, orderId: string, amount: string, points: number) {
  const before = (await balanceOf(member)).lifetimeEarned;
  await publishPlatformEvent('order.completed.v1', {
    orderId,
    userId: member.userId,
    amount,
    currency: 'CNY',
    completedAt: new Date().toISOString(),
  });
  await balanceReaches(member, { lifetimeEarned: before + points }, `order ${orderId} earned`);
}

const spend = (member: Member, orderId: string, points: number) =>
  api<PointsResult>('POST', '/api/v1/points/me/use', {
    token: member.bearer,
    body: { points, orderId },
  });

describe('the ledger against an adversary', () => {
  it("refuses another member's spend or hold on an order someone already paid with points, showing nothing of theirs", async () => {
    const [first, second] = [await newMember(), await newMember()];
    await credit(first, 10);
    await credit(second, 10);
    const orderId = nextOrderId();

    const spent = await spend(first, orderId, 2);
    expect(spent.status).toBe(200);
    const stolen = await spend(second, orderId, 2);
    const held = await api('POST', '/api/v1/points/me/holds', {
      token: second.bearer,
      body: { points: 2, orderId },
    });

    for (const answer of [stolen, held]) {
      const body = expectError(answer, 409, 'ORDER_OWNED_BY_ANOTHER_MEMBER');
      for (const secret of [spent.body.transactionId, first.memberId, first.userId]) {
        expect(answer.text).not.toContain(`"${secret}"`);
      }
      expect(body.details).toEqual({ orderId });
    }
    expect(await balanceOf(second)).toMatchObject({ available: 10, held: 0, lifetimeUsed: 0 });
    expect((await history(second)).map((row) => row.type)).toEqual(['adjust']);
    // The first member's own replay still answers the first spend.
    expect((await spend(first, orderId, 2)).body).toEqual(spent.body);
  });

  it('keeps refund ids apart per member: the same refund id of two members freezes for both', async () => {
    const [first, second] = [await newMember(), await newMember()];
    const refundId = nextOrderId();
    for (const member of [first, second]) {
      const orderId = nextOrderId();
      await orderEarned(member, orderId, '100.00', 100);
      await publishPlatformEvent('order.refund-requested.v1', {
        orderId,
        userId: member.userId,
        refundId,
        amount: '100.00',
      });
    }
    await balanceReaches(first, { frozen: 100, available: 0 }, 'the first refund frozen');
    await balanceReaches(second, { frozen: 100, available: 0 }, 'the second refund frozen');
  });

  it('answers 409 ORDER_CANCELLED to a spend or hold on a cancelled order, replay or not', async () => {
    const member = await newMember();
    await credit(member, 10);
    const orderId = nextOrderId();
    expect((await spend(member, orderId, 2)).status).toBe(200);
    await publishPlatformEvent('order.cancelled.v1', { orderId, userId: member.userId });
    await balanceReaches(member, { available: 10, lifetimeUsed: 0 }, 'the spend given back');

    expectError(await spend(member, orderId, 2), 409, 'ORDER_CANCELLED');
    expectError(await spend(member, orderId, 3), 409, 'ORDER_CANCELLED');
    expectError(
      await api('POST', '/api/v1/points/me/holds', {
        token: member.bearer,
        body: { points: 2, orderId },
      }),
      409,
      'ORDER_CANCELLED',
    );
    expect(await balanceOf(member)).toMatchObject({ available: 10, held: 0, lifetimeUsed: 0 });
  });

  it("keeps admin bulk credits out of the platform's key space: an order earns from its own event", async () => {
    const member = await newMember();
    const orderId = nextOrderId();
    const batch = (source: string) =>
      api('POST', '/api/v1/admin/points/earn-batch', {
        token: pointsAdmin,
        body: { items: [{ memberId: member.memberId, points: 10, source, sourceId: orderId }] },
      });

    for (const source of ['order', 'review', 'check-in', 'birthday']) {
      expectError(await batch(source), 400, 'VALIDATION_FAILED');
    }
    expect((await batch('batch')).body).toMatchObject({ credited: 1, duplicates: 0 });
    expect((await batch('campaign')).body).toMatchObject({ credited: 1, duplicates: 0 });
    await orderEarned(member, orderId, '100.00', 100);
    expect(await balanceOf(member)).toMatchObject({ available: 120, lifetimeEarned: 120 });
  });

  it('freezes the share of points a partial refund asks back, and announces every release', async () => {
    const member = await newMember();
    const orderId = nextOrderId();
    await orderEarned(member, orderId, '600.00', 600);
    const [partial, rest] = [nextOrderId(), nextOrderId()];
    const request = (refundId: string, amount: string) =>
      publishPlatformEvent('order.refund-requested.v1', {
        orderId,
        userId: member.userId,
        refundId,
        amount,
      });

    await request(partial, '100.00');
    await balanceReaches(member, { frozen: 100, available: 500 }, 'a sixth of the points frozen');
    await request(rest, '50.00');
    await balanceReaches(member, { frozen: 150, available: 450 }, 'the second share frozen');
    // Only 60.00 of the 100.00 asked comes back: 60 points reversed, 40 released.
    await publishPlatformEvent('order.refunded.v1', {
      orderId,
      userId: member.userId,
      refundId: partial,
      amount: '60.00',
    });
    await balanceReaches(member, { frozen: 50, available: 490 }, 'the first refund settled');
    await publishPlatformEvent('order.refund-rejected.v1', {
      orderId,
      userId: member.userId,
      refundId: rest,
    });
    await balanceReaches(member, { frozen: 0, available: 540 }, 'the second refund released');

    const unfrozen = await queryAppSchema(
      'point-service',
      "SELECT envelope FROM outbox_message WHERE event_type = 'points.unfrozen.v1' AND envelope LIKE ?",
      [`%"memberId":"${member.memberId}"%`],
    );
    const released = unfrozen
      .map((row) => (JSON.parse(String(row.envelope)) as { payload: { points: number } }).payload)
      .map((payload) => payload.points)
      .sort((a, b) => a - b);
    expect(released).toEqual([40, 50]);
  });

  it('writes every movement of available, frozen, held and debt into the history, signed, with the balances after it', async () => {
    const member = await newMember();
    const orderId = nextOrderId();
    await orderEarned(member, orderId, '100.00', 100);
    const hold = await api<HoldView>('POST', '/api/v1/points/me/holds', {
      token: member.bearer,
      body: { points: 30, orderId: nextOrderId() },
    });
    await api('POST', `/api/v1/points/me/holds/${hold.body.holdId}/capture`, {
      token: member.bearer,
    });
    const released = await api<HoldView>('POST', '/api/v1/points/me/holds', {
      token: member.bearer,
      body: { points: 10, orderId: nextOrderId() },
    });
    await api('POST', `/api/v1/points/me/holds/${released.body.holdId}/release`, {
      token: member.bearer,
    });
    const deduct = await api<PointsResult>(
      'POST',
      `/api/v1/admin/members/${member.memberId}/points/adjust`,
      { token: pointsAdmin, body: { points: -20, reasonCode: 'CORRECTION' } },
    );
    expect(deduct.body.points).toBe(-20);
    // The whole order comes back: 50 are still there, 50 were spent and become debt.
    const refundId = nextOrderId();
    await publishPlatformEvent('order.refund-requested.v1', {
      orderId,
      userId: member.userId,
      refundId,
      amount: '100.00',
    });
    await balanceReaches(member, { frozen: 50, available: 0 }, 'the refund frozen');
    await publishPlatformEvent('order.refunded.v1', {
      orderId,
      userId: member.userId,
      refundId,
      amount: '100.00',
    });
    await balanceReaches(member, { frozen: 0, debt: 50 }, 'the refund reversed');
    await credit(member, 80);
    await balanceReaches(member, { available: 30, debt: 0 }, 'the debt paid');

    const rows = (await history(member)).reverse();
    expect(
      rows.map((row) => [
        row.type,
        row.points,
        row.balanceAfter,
        row.frozenAfter,
        row.heldAfter,
        row.debtAfter,
      ]),
    ).toEqual([
      ['earn', 100, 100, 0, 0, 0],
      ['hold', -30, 70, 0, 30, 0],
      ['capture', -30, 70, 0, 0, 0],
      ['hold', -10, 60, 0, 10, 0],
      ['release', 10, 70, 0, 0, 0],
      ['adjust', -20, 50, 0, 0, 0],
      ['freeze', -50, 0, 50, 0, 0],
      ['reverse', -100, 0, 0, 0, 50],
      ['adjust', 80, 80, 0, 0, 50],
      ['repay', -50, 30, 0, 0, 0],
    ]);
    // Each row explains its step: the value it adds or takes, or a move between balances.
    const moves = new Set(['hold', 'release', 'freeze', 'unfreeze', 'repay']);
    let previous = { available: 0, frozen: 0, held: 0, debt: 0 };
    for (const row of rows) {
      const after = {
        available: row.balanceAfter,
        frozen: row.frozenAfter,
        held: row.heldAfter,
        debt: row.debtAfter,
      };
      const value = (side: typeof previous) => side.available + side.frozen + side.held - side.debt;
      expect(value(after) - value(previous)).toBe(moves.has(row.type) ? 0 : row.points);
      previous = after;
    }
    expect(await balanceOf(member)).toMatchObject({
      available: previous.available,
      frozen: previous.frozen,
      held: previous.held,
      debt: previous.debt,
    });
  });
});
