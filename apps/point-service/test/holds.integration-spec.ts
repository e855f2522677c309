import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { withTransaction } from '@member-system/shared/database';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { CaptureHoldCommand } from '../src/ledger/commands/capture-hold/capture-hold.command';
import { ExpireHoldsCommand } from '../src/ledger/commands/expire-holds/expire-holds.command';
import { ReconcilePointsCommand } from '../src/ledger/commands/reconcile-points/reconcile-points.command';
import { ReleaseHoldCommand } from '../src/ledger/commands/release-hold/release-hold.command';
import { ReserveHoldCommand } from '../src/ledger/commands/reserve-hold/reserve-hold.command';
import { UsePointsCommand } from '../src/ledger/commands/use-points/use-points.command';
import { Holds } from '../src/ledger/core/holds';
import { Ledger } from '../src/ledger/core/ledger';
import { startPointService } from './point-service-kit';

let nextId = 6_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));

describe('point-service holds', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let commandBus: CommandBus;
  /** The hold commands, and the `expire-holds` job's run. */
  const holds = {
    reserve: (...args: ConstructorParameters<typeof ReserveHoldCommand>) =>
      commandBus.execute(new ReserveHoldCommand(...args)),
    capture: (...args: ConstructorParameters<typeof CaptureHoldCommand>) =>
      commandBus.execute(new CaptureHoldCommand(...args)),
    release: (...args: ConstructorParameters<typeof ReleaseHoldCommand>) =>
      commandBus.execute(new ReleaseHoldCommand(...args)),
    run: (asOf: Date) => commandBus.execute(new ExpireHoldsCommand(asOf)),
  };

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env);
    commandBus = app.get(CommandBus);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function member(points: number): Promise<{ memberId: string; userId: string }> {
    const account = { memberId: newId(), userId: newId() };
    await withTransaction(env.dataSource, (manager) =>
      app.get(Ledger).credit(manager, account, {
        points,
        source: 'adjustment',
        sourceId: newId(),
        kind: 'earn:test',
        at: new Date(),
      }),
    );
    return account;
  }

  /** The invariants of docs/architecture.md for one member, plus the totals to compare. */
  async function ledgerOf(memberId: string) {
    const [account] = await env.dataSource.query<Array<Record<string, string>>>(
      'SELECT available, held, lifetime_earned, lifetime_used FROM point_account WHERE member_id = ?',
      [memberId],
    );
    const [lots] = await env.dataSource.query<Array<{ remaining: string | null }>>(
      'SELECT SUM(remaining) AS remaining FROM point_lot WHERE member_id = ?',
      [memberId],
    );
    const [reserved] = await env.dataSource.query<Array<{ points: string | null }>>(
      "SELECT SUM(points) AS points FROM point_hold WHERE member_id = ? AND status = 'reserved'",
      [memberId],
    );
    const [spent] = await env.dataSource.query<Array<{ points: string | null }>>(
      "SELECT -SUM(points) AS points FROM point_transaction WHERE member_id = ? AND type IN ('use', 'capture', 'restore')",
      [memberId],
    );
    return {
      available: Number(account?.['available']),
      held: Number(account?.['held']),
      used: Number(account?.['lifetime_used']),
      earned: Number(account?.['lifetime_earned']),
      lotsRemaining: Number(lots?.remaining ?? 0),
      reserved: Number(reserved?.points ?? 0),
      spent: Number(spent?.points ?? 0),
    };
  }

  function expectInvariants(ledger: Awaited<ReturnType<typeof ledgerOf>>): void {
    expect(ledger.available).toBe(ledger.lotsRemaining);
    expect(ledger.held).toBe(ledger.reserved);
    expect(ledger.used).toBe(ledger.spent);
    expect(ledger.earned).toBe(ledger.available + ledger.held + ledger.used);
    expect(ledger.available).toBeGreaterThanOrEqual(0);
  }

  it('reserves, captures once, and refuses to release what was captured', async () => {
    const account = await member(100);
    const orderId = newId();

    const hold = await holds.reserve({ userId: account.userId }, { points: 60, orderId });
    expect(await holds.reserve({ userId: account.userId }, { points: 60, orderId })).toEqual(hold);
    expect(await ledgerOf(account.memberId)).toMatchObject({ available: 40, held: 60 });
    const captured = await holds.capture({ userId: account.userId }, hold.holdId);
    await expect(holds.capture({ userId: account.userId }, hold.holdId)).resolves.toEqual(captured);
    await expect(holds.release({ userId: account.userId }, hold.holdId)).rejects.toMatchObject({
      code: 'HOLD_NOT_RESERVED',
    });

    const ledger = await ledgerOf(account.memberId);
    expect(ledger).toMatchObject({ available: 40, held: 0, used: 60 });
    expectInvariants(ledger);
  });

  it("gives released and expired holds back to their lots, and hides other members' holds", async () => {
    const account = await member(100);
    const released = await holds.reserve(
      { userId: account.userId },
      { points: 30, orderId: newId() },
    );
    const expiring = await holds.reserve(
      { userId: account.userId },
      {
        points: 50,
        orderId: newId(),
        ttlSeconds: 60,
      },
    );
    const stranger = await member(10);

    await expect(holds.release({ userId: stranger.userId }, released.holdId)).rejects.toMatchObject(
      {
        code: 'HOLD_NOT_FOUND',
      },
    );
    await holds.release({ userId: account.userId }, released.holdId);
    await expect(holds.run(new Date(Date.now() + 30_000))).resolves.toMatchObject({ expired: 0 });
    await expect(holds.run(new Date(Date.now() + 61_000))).resolves.toMatchObject({ expired: 1 });
    await expect(holds.capture({ userId: account.userId }, expiring.holdId)).rejects.toMatchObject({
      code: 'HOLD_NOT_RESERVED',
    });

    const ledger = await ledgerOf(account.memberId);
    expect(ledger).toMatchObject({ available: 100, held: 0, used: 0 });
    expectInvariants(ledger);
  });

  it('releases the hold of a cancelled order and gives back what a captured one spent', async () => {
    const account = await member(100);
    const reservedOrder = newId();
    const capturedOrder = newId();
    await holds.reserve({ userId: account.userId }, { points: 20, orderId: reservedOrder });
    const captured = await holds.reserve(
      { userId: account.userId },
      { points: 30, orderId: capturedOrder },
    );
    await holds.capture({ userId: account.userId }, captured.holdId);
    const cancel = async (orderId: string): Promise<void> => {
      await withTransaction(env.dataSource, async (manager) => {
        await app.get(Ledger).restoreOrder(manager, account, orderId);
        const holdId = await app.get(Holds).reservedHoldOf(manager, account.memberId, orderId);
        if (holdId) await app.get(Holds).release(manager, account, holdId, new Date());
      });
    };

    await cancel(reservedOrder);
    await cancel(capturedOrder);
    await cancel(capturedOrder);

    const ledger = await ledgerOf(account.memberId);
    expect(ledger).toMatchObject({ available: 100, held: 0, used: 0 });
    expectInvariants(ledger);
  });

  it('keeps every invariant under concurrent spends, holds, captures, releases and earns on one member', async () => {
    const account = await member(1000);
    const ledger = app.get(Ledger);
    const operations: Array<() => Promise<unknown>> = [];
    for (let index = 0; index < 40; index += 1) {
      operations.push(() =>
        commandBus.execute(new UsePointsCommand(account.userId, { points: 9, orderId: newId() })),
      );
      operations.push(async () => {
        const hold = await holds.reserve(
          { userId: account.userId },
          { points: 7, orderId: newId() },
        );
        return index % 2 === 0
          ? holds.capture({ userId: account.userId }, hold.holdId)
          : holds.release({ userId: account.userId }, hold.holdId);
      });
      operations.push(() =>
        withTransaction(env.dataSource, (manager) =>
          ledger.credit(manager, account, {
            points: 3,
            source: 'adjustment',
            sourceId: newId(),
            kind: 'earn:test',
            at: new Date(),
          }),
        ),
      );
      operations.push(() => holds.run(new Date()));
    }

    const results = await Promise.allSettled(operations.map((operation) => operation()));

    const unexpected = results.filter(
      (result) =>
        result.status === 'rejected' &&
        (result.reason as { code?: string }).code !== 'POINTS_INSUFFICIENT',
    );
    expect(unexpected).toEqual([]);
    const final = await ledgerOf(account.memberId);
    expect(final.earned).toBe(1000 + 40 * 3);
    expectInvariants(final);
  });

  it('finds no drift after all of the above, and reports an account changed behind the ledger', async () => {
    const reconcile = (): Promise<Record<string, unknown>> =>
      commandBus.execute(new ReconcilePointsCommand());
    await expect(reconcile()).resolves.toMatchObject({ drifted: 0 });

    const account = await member(10);
    await env.dataSource.query(
      'UPDATE point_account SET available = available + 1 WHERE member_id = ?',
      [account.memberId],
    );

    await expect(reconcile()).resolves.toMatchObject({
      drifted: 1,
      samples: [{ memberId: account.memberId, available: [11, 10] }],
    });
    const gauge = await app
      .get(AppMetrics)
      .registry.getSingleMetricAsString('ms_points_reconciliation_drifted_accounts');
    expect(gauge).toMatch(/ms_points_reconciliation_drifted_accounts(\{[^}]*\})? 1$/m);
    await env.dataSource.query(
      'UPDATE point_account SET available = available - 1 WHERE member_id = ?',
      [account.memberId],
    );
  });
});
