import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ErrorCode } from '@member-system/contracts';
import type { Actor, EventType, FreezeResult } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, outboxEvents } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { FreezePointsCommand } from '../src/ledger/commands/freeze-points/freeze-points.command';
import { UnfreezePointsCommand } from '../src/ledger/commands/unfreeze-points/unfreeze-points.command';
import { EarnOrderPointsCommand } from '../src/ledger/commands/earn-order-points/earn-order-points.command';
import { ReconcilePointsCommand } from '../src/ledger/commands/reconcile-points/reconcile-points.command';
import { Ledger } from '../src/ledger/core/ledger';
import { Refunds } from '../src/ledger/core/refunds';
import { skipAfterCommit, startPointService } from './point-service-kit';

let nextId = 9_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));
const DAY = 86_400_000;

const admin: Actor = { userId: '77', roles: ['admin'], perms: ['points:adjust'] };

describe('point-service admin freezes', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let freezes: Record<
    'freeze' | 'unfreeze',
    (...request: ConstructorParameters<typeof FreezePointsCommand>) => Promise<FreezeResult>
  >;

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env, { RPC_TIMEOUT_MS: 1000 });
    const commandBus = app.get(CommandBus);
    freezes = {
      freeze: (...request) => commandBus.execute(new FreezePointsCommand(...request)),
      unfreeze: (...request) => commandBus.execute(new UnfreezePointsCommand(...request)),
    };
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  type Account = { memberId: string; userId: string };

  /** A member with one lot per entry, earned `daysAgo` days ago (older lots expire first). */
  async function memberWithLots(...lots: Array<{ points: number; daysAgo: number }>) {
    const account: Account = { memberId: newId(), userId: newId() };
    for (const lot of lots) {
      await withTransaction(env.dataSource, (manager) =>
        app.get(Ledger).credit(manager, account, {
          points: lot.points,
          source: 'adjustment',
          sourceId: newId(),
          kind: 'earn:adjustment',
          at: new Date(Date.now() - lot.daysAgo * DAY),
        }),
      );
    }
    return { account };
  }

  async function state(memberId: string) {
    const [account] = await env.dataSource.query<Array<Record<string, string>>>(
      'SELECT available, frozen FROM point_account WHERE member_id = ?',
      [memberId],
    );
    const lots = await env.dataSource.query<Array<{ id: string; remaining: string }>>(
      'SELECT id, remaining FROM point_lot WHERE member_id = ? ORDER BY id',
      [memberId],
    );
    const open = await env.dataSource.query<
      Array<{ id: string; points: string; allocated: string }>
    >(
      `SELECT f.id, f.points, (SELECT SUM(points) FROM point_freeze_allocation a WHERE a.freeze_id = f.id) AS allocated
         FROM point_freeze f WHERE f.member_id = ? AND f.status = 'frozen' ORDER BY f.id`,
      [memberId],
    );
    return {
      available: Number(account?.available),
      frozen: Number(account?.frozen),
      lots: lots.map((lot) => Number(lot.remaining)),
      openFreezes: open.map((freeze) => [Number(freeze.points), Number(freeze.allocated)]),
    };
  }

  async function outboxCount(type: EventType, memberId: string): Promise<number> {
    const events = await outboxEvents<{ memberId: string }>(env, type);
    return events.filter((event) => event.memberId === memberId).length;
  }

  async function errorCodeOf(work: Promise<unknown>): Promise<string> {
    try {
      await work;
    } catch (error) {
      if (error instanceof AppException) return error.code;
      throw error;
    }
    throw new Error('expected the request to be refused');
  }

  it('freezes the earliest-expiring points, once per key, and spending cannot reach them', async () => {
    const { account } = await memberWithLots(
      { points: 100, daysAgo: 10 },
      { points: 50, daysAgo: 300 },
    );
    const subject = { memberId: account.memberId };
    const request = { points: 80, reason: 'Ticket 9031: dispute' };

    const first = await freezes.freeze(subject, request, admin, 'key-1');
    const again = await freezes.freeze(subject, request, admin, 'key-1');

    expect(first).toEqual<FreezeResult>({
      points: 80,
      freezeIds: [expect.any(String) as string],
      balanceAfter: 70,
      frozenAfter: 80,
    });
    expect(again).toEqual(first);
    // The older lot (expiring first) gave all its 50, the newer one 30.
    expect(await state(account.memberId)).toEqual({
      available: 70,
      frozen: 80,
      lots: [70, 0],
      openFreezes: [[80, 80]],
    });
    expect(await outboxCount('points.frozen.v1', account.memberId)).toBe(1);

    const spend = withTransaction(env.dataSource, (manager) =>
      app.get(Ledger).debit(manager, account, {
        points: 71,
        source: 'order',
        sourceId: newId(),
        kind: 'use:order',
        at: new Date(),
      }),
    );
    expect(await errorCodeOf(spend)).toBe(ErrorCode.PointsInsufficient);
  });

  it('refuses what cannot be done, and changes nothing', async () => {
    const { account } = await memberWithLots({ points: 100, daysAgo: 1 });
    const subject = { memberId: account.memberId };
    await freezes.freeze(subject, { points: 40, reason: 'hold for review' }, admin, 'first');
    const before = await state(account.memberId);

    expect(
      await errorCodeOf(freezes.freeze(subject, { points: 61, reason: 'more' }, admin, 'too-much')),
    ).toBe(ErrorCode.PointsInsufficient);
    expect(
      await errorCodeOf(
        freezes.unfreeze(subject, { points: 41, reason: 'release' }, admin, 'too-much-back'),
      ),
    ).toBe(ErrorCode.FrozenPointsInsufficient);
    expect(
      await errorCodeOf(freezes.freeze(subject, { points: 39, reason: 'other' }, admin, 'first')),
    ).toBe(ErrorCode.IdempotencyKeyReused);
    // A member without an account here is asked of member-service, which does not run in this
    // test: unknown is not "not found" then, but "cannot tell now".
    expect(
      await errorCodeOf(
        freezes.freeze({ memberId: newId() }, { points: 1, reason: 'x' }, admin, 'k'),
      ),
    ).toBe(ErrorCode.ServiceUnavailable);

    expect(await state(account.memberId)).toEqual(before);
    // Keys are the member's: the same key on another member is that member's own request.
    const other = await memberWithLots({ points: 100, daysAgo: 1 });
    await freezes.freeze(
      { memberId: other.account.memberId },
      { points: 40, reason: 'x' },
      admin,
      'first',
    );
    expect(await state(other.account.memberId)).toMatchObject({ available: 60, frozen: 40 });
    expect(await state(account.memberId)).toEqual(before);
  });

  it('releases admin freezes oldest first, in part or whole, to the lots they came from; refund freezes stay', async () => {
    const { account } = await memberWithLots(
      { points: 100, daysAgo: 200 },
      { points: 100, daysAgo: 100 },
      { points: 100, daysAgo: 1 },
    );
    const subject = { memberId: account.memberId };
    // An order whose refund froze 60 of what it earned, beside the admin's freezes.
    const orderId = newId();
    const refundId = newId();
    await withTransaction(env.dataSource, async (manager) => {
      await app.get(CommandBus).execute(
        new EarnOrderPointsCommand(
          manager,
          [
            {
              orderId,
              ...account,
              amount: '60.00',
              levelBefore: 1,
              levelAfter: 1,
              completedAt: new Date().toISOString(),
            },
          ],
          skipAfterCommit,
        ),
      );
    });
    const first = await freezes.freeze(subject, { points: 150, reason: 'a' }, admin, 'f1');
    const second = await freezes.freeze(subject, { points: 100, reason: 'b' }, admin, 'f2');
    await withTransaction(env.dataSource, (manager) =>
      app.get(Refunds).freeze(manager, account, {
        orderId,
        refundId,
        amountCents: 6_000,
        at: new Date(),
      }),
    );
    // Lots 100, 100, 100 and the order's 60: the admin took 150 then 100, the refund 60 (all
    // earliest-expiring first), so 50 of the order's lot are left.
    expect(await state(account.memberId)).toMatchObject({
      available: 50,
      frozen: 310,
      lots: [0, 0, 0, 50],
    });

    const released = await freezes.unfreeze(
      subject,
      { points: 170, reason: 'cleared' },
      admin,
      'u1',
    );
    expect(released).toEqual<FreezeResult>({
      points: 170,
      freezeIds: [...first.freezeIds, ...second.freezeIds],
      balanceAfter: 220,
      frozenAfter: 140,
    });
    expect(
      await freezes.unfreeze(subject, { points: 170, reason: 'cleared' }, admin, 'u1'),
    ).toEqual(released);
    // The first freeze (100 + 50 of the two oldest lots) went back whole; of the second (50 + 50
    // of the next two), 20 went back to the third lot and 80 stay frozen on their allocations;
    // the refund's 60 stay too.
    expect(await state(account.memberId)).toEqual({
      available: 220,
      frozen: 140,
      lots: [100, 50, 20, 50],
      openFreezes: [
        [80, 80],
        [60, 60],
      ],
    });
    expect(await outboxCount('points.unfrozen.v1', account.memberId)).toBe(2);

    // Only 80 are frozen by admins: the refund's freeze is not theirs to release.
    expect(
      await errorCodeOf(freezes.unfreeze(subject, { points: 81, reason: 'all' }, admin, 'u2')),
    ).toBe(ErrorCode.FrozenPointsInsufficient);
    await freezes.unfreeze(subject, { points: 80, reason: 'all' }, admin, 'u3');
    expect(await state(account.memberId)).toMatchObject({
      available: 300,
      frozen: 60,
      lots: [100, 100, 50, 50],
      openFreezes: [[60, 60]],
    });
    expect(await app.get(CommandBus).execute(new ReconcilePointsCommand())).toMatchObject({
      drifted: 0,
    });
  });

  it('keeps the ledger exact under concurrent freezes and releases', async () => {
    const { account } = await memberWithLots(
      { points: 120, daysAgo: 30 },
      { points: 130, daysAgo: 20 },
    );
    const subject = { memberId: account.memberId };
    const outcome = async (work: Promise<unknown>): Promise<string> =>
      work.then(
        () => 'ok',
        (error: unknown) => (error instanceof AppException ? String(error.code) : 'error'),
      );

    const frozen = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        outcome(freezes.freeze(subject, { points: 10, reason: 'bulk' }, admin, `cf-${i}`)),
      ),
    );
    expect(frozen.filter((result) => result === 'ok')).toHaveLength(25);
    expect(frozen.filter((result) => result === String(ErrorCode.PointsInsufficient))).toHaveLength(
      15,
    );

    const released = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        outcome(freezes.unfreeze(subject, { points: 10, reason: 'bulk' }, admin, `cu-${i}`)),
      ),
    );
    expect(released.filter((result) => result === 'ok')).toHaveLength(25);
    expect(
      released.filter((result) => result === String(ErrorCode.FrozenPointsInsufficient)),
    ).toHaveLength(5);
    expect(await state(account.memberId)).toEqual({
      available: 250,
      frozen: 0,
      lots: [120, 130],
      openFreezes: [],
    });
    expect(await outboxCount('points.frozen.v1', account.memberId)).toBe(25);
    expect(await outboxCount('points.unfrozen.v1', account.memberId)).toBe(25);
    expect(await app.get(CommandBus).execute(new ReconcilePointsCommand())).toMatchObject({
      drifted: 0,
    });
  });
});
