import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { withTransaction } from '@member-system/shared/database';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { EarnOrderPointsCommand } from '../src/ledger/commands/earn-order-points/earn-order-points.command';
import { ReleaseFreezesCommand } from '../src/ledger/commands/release-freezes/release-freezes.command';
import { Ledger } from '../src/ledger/core/ledger';
import { OrderNotEarnedYet, Refunds } from '../src/ledger/core/refunds';
import { skipAfterCommit, startPointService } from './point-service-kit';

let nextId = 8_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));

describe('point-service refunds', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let refunds: Refunds;

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env);
    refunds = app.get(Refunds);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  const tx = <T>(work: Parameters<typeof withTransaction<T>>[1]): Promise<T> =>
    withTransaction(env.dataSource, work);

  /** A member whose order of `amount` yuan earned `amount` points (Regular, multiplier 1.0). */
  async function orderEarned(
    amount: number,
  ): Promise<{ account: { memberId: string; userId: string }; orderId: string }> {
    const account = { memberId: newId(), userId: newId() };
    const orderId = newId();
    await tx((manager) =>
      app.get(CommandBus).execute(
        new EarnOrderPointsCommand(
          manager,
          [
            {
              orderId,
              ...account,
              amount: `${amount}.00`,
              levelBefore: 1,
              levelAfter: 1,
              completedAt: new Date().toISOString(),
            },
          ],
          skipAfterCommit,
        ),
      ),
    );
    return { account, orderId };
  }

  async function balances(memberId: string): Promise<Record<string, number>> {
    const [row] = await env.dataSource.query<Array<Record<string, string>>>(
      `SELECT available, frozen, debt, (SELECT COALESCE(SUM(remaining), 0) FROM point_lot l WHERE l.member_id = a.member_id) AS lots
         FROM point_account a WHERE member_id = ?`,
      [memberId],
    );
    return Object.fromEntries(
      Object.entries(row ?? {}).map(([key, value]) => [key, Number(value)]),
    );
  }

  const spend = (account: { memberId: string; userId: string }, points: number) =>
    tx((manager) =>
      app.get(Ledger).debit(manager, account, {
        points,
        source: 'order',
        sourceId: newId(),
        kind: 'use:order',
        at: new Date(),
      }),
    );

  it('freezes what is left of the order, reverses in proportion, and turns what was spent into debt that later credits pay', async () => {
    const { account, orderId } = await orderEarned(1000);
    await spend(account, 700);
    const refundA = newId();

    await tx((manager) =>
      refunds.freeze(manager, account, {
        orderId,
        refundId: refundA,
        amountCents: 100_000,
        at: new Date(),
      }),
    );
    await tx((manager) =>
      refunds.freeze(manager, account, {
        orderId,
        refundId: refundA,
        amountCents: 100_000,
        at: new Date(),
      }),
    );
    expect(await balances(account.memberId)).toEqual({
      available: 0,
      frozen: 300,
      debt: 0,
      lots: 0,
    });

    await tx((manager) =>
      refunds.reverse(manager, account, {
        orderId,
        refundId: refundA,
        amountCents: 50_000,
        at: new Date(),
      }),
    );
    await tx((manager) =>
      refunds.reverse(manager, account, {
        orderId,
        refundId: refundA,
        amountCents: 50_000,
        at: new Date(),
      }),
    );
    expect(await balances(account.memberId)).toEqual({
      available: 0,
      frozen: 0,
      debt: 200,
      lots: 0,
    });

    await tx((manager) =>
      app.get(Ledger).credit(manager, account, {
        points: 50,
        source: 'adjustment',
        sourceId: newId(),
        kind: 'earn:test',
        at: new Date(),
      }),
    );
    expect(await balances(account.memberId)).toEqual({
      available: 0,
      frozen: 0,
      debt: 150,
      lots: 0,
    });

    await tx((manager) =>
      refunds.reverse(manager, account, {
        orderId,
        refundId: newId(),
        amountCents: 50_000,
        at: new Date(),
      }),
    );
    await tx((manager) =>
      refunds.reverse(manager, account, {
        orderId,
        refundId: newId(),
        amountCents: 10_000,
        at: new Date(),
      }),
    );
    expect(await balances(account.memberId)).toEqual({
      available: 0,
      frozen: 0,
      debt: 650,
      lots: 0,
    });
    const [order] = await env.dataSource.query<
      Array<{ reversed_points: string; refunded_cents: string }>
    >('SELECT reversed_points, refunded_cents FROM point_order_earn WHERE order_id = ?', [orderId]);
    expect(order).toEqual({ reversed_points: '1000', refunded_cents: '100000' });
  });

  it('gives frozen points back when the refund is rejected, once, and freezes nothing for a rejection that came first', async () => {
    const { account, orderId } = await orderEarned(200);
    const refund = newId();
    await tx((manager) =>
      refunds.freeze(manager, account, {
        orderId,
        refundId: refund,
        amountCents: 20_000,
        at: new Date(),
      }),
    );
    await tx((manager) => refunds.unfreeze(manager, account, refund));
    await tx((manager) => refunds.unfreeze(manager, account, refund));
    expect(await balances(account.memberId)).toEqual({
      available: 200,
      frozen: 0,
      debt: 0,
      lots: 200,
    });

    const early = newId();
    await tx((manager) => refunds.unfreeze(manager, account, early));
    await tx((manager) =>
      refunds.freeze(manager, account, {
        orderId,
        refundId: early,
        amountCents: 20_000,
        at: new Date(),
      }),
    );
    expect(await balances(account.memberId)).toEqual({
      available: 200,
      frozen: 0,
      debt: 0,
      lots: 200,
    });
  });

  it('releases a freeze after 7 days without an outcome', async () => {
    const { account, orderId } = await orderEarned(300);
    await tx((manager) =>
      refunds.freeze(manager, account, {
        orderId,
        refundId: newId(),
        amountCents: 30_000,
        at: new Date(),
      }),
    );
    const releaseFreezes = (asOf: Date): Promise<Record<string, unknown>> =>
      app.get(CommandBus).execute(new ReleaseFreezesCommand(asOf));

    await expect(releaseFreezes(new Date(Date.now() + 6 * 86_400_000))).resolves.toEqual({
      released: 0,
    });
    await expect(releaseFreezes(new Date(Date.now() + 7 * 86_400_000 + 1000))).resolves.toEqual({
      released: 1,
    });
    expect(await balances(account.memberId)).toEqual({
      available: 300,
      frozen: 0,
      debt: 0,
      lots: 300,
    });
  });

  it('gives the same result when the completed refund arrives before the request', async () => {
    const { account, orderId } = await orderEarned(400);
    const refund = newId();
    await tx((manager) =>
      refunds.reverse(manager, account, {
        orderId,
        refundId: refund,
        amountCents: 10_000,
        at: new Date(),
      }),
    );
    await tx((manager) =>
      refunds.freeze(manager, account, {
        orderId,
        refundId: refund,
        amountCents: 40_000,
        at: new Date(),
      }),
    );

    expect(await balances(account.memberId)).toEqual({
      available: 300,
      frozen: 0,
      debt: 0,
      lots: 300,
    });
  });

  it('waits for the order to earn its points before handling its refund', async () => {
    const account = { memberId: newId(), userId: newId() };
    await expect(
      tx((manager) =>
        refunds.freeze(manager, account, {
          orderId: newId(),
          refundId: newId(),
          amountCents: 10_000,
          at: new Date(),
        }),
      ),
    ).rejects.toBeInstanceOf(OrderNotEarnedYet);
  });
});
