import type { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { Holds } from '../src/ledger/core/holds';
import { Ledger } from '../src/ledger/core/ledger';
import { startPointService } from './point-service-kit';

/** What the ledger should do, as plainly as possible: lots in a list, spends take the earliest expiring. */
class LedgerModel {
  lots: Array<{ expiresDay: number; remaining: number }> = [];
  spends: Array<{ taken: Array<[number, number]>; cancelled: boolean }> = [];
  holds: Array<{
    taken: Array<[number, number]>;
    points: number;
    status: 'reserved' | 'captured' | 'released';
  }> = [];

  get available(): number {
    return this.lots.reduce((sum, lot) => sum + lot.remaining, 0);
  }

  get held(): number {
    return this.holds
      .filter((hold) => hold.status === 'reserved')
      .reduce((sum, hold) => sum + hold.points, 0);
  }

  earn(points: number, day: number): void {
    this.lots.push({ expiresDay: day, remaining: points });
  }

  /** Earliest expiry first, then the earliest earned (ties broken by creation order here too). */
  take(points: number): Array<[number, number]> | undefined {
    if (this.available < points) return undefined;
    const order = this.lots
      .map((lot, index) => ({ lot, index }))
      .sort((a, b) => a.lot.expiresDay - b.lot.expiresDay || a.index - b.index);
    const taken: Array<[number, number]> = [];
    let left = points;
    for (const { lot, index } of order) {
      if (left === 0) break;
      const take = Math.min(left, lot.remaining);
      if (take === 0) continue;
      lot.remaining -= take;
      left -= take;
      taken.push([index, take]);
    }
    return taken;
  }

  giveBack(taken: Array<[number, number]>): void {
    for (const [index, points] of taken)
      (this.lots[index] as { remaining: number }).remaining += points;
  }
}

type Operation =
  | { kind: 'earn'; points: number; day: number }
  | { kind: 'spend'; points: number }
  | { kind: 'cancel'; spend: number }
  | { kind: 'reserve'; points: number }
  | { kind: 'capture'; hold: number }
  | { kind: 'release'; hold: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('earn' as const),
    points: fc.integer({ min: 1, max: 50 }),
    day: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({ kind: fc.constant('spend' as const), points: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('cancel' as const), spend: fc.nat(8) }),
  fc.record({ kind: fc.constant('reserve' as const), points: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('capture' as const), hold: fc.nat(5) }),
  fc.record({ kind: fc.constant('release' as const), hold: fc.nat(5) }),
);

describe('points ledger against a model', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let nextId = 9_000_000 + (Date.now() % 100_000) * 10;
  const newId = (): string => String((nextId += 1));

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  it('ends with the same balance and lot remainders as the model, for random sequences of operations', async () => {
    const ledger = app.get(Ledger);
    const holds = app.get(Holds);
    const base = Date.UTC(2030, 0, 1, 4);
    const now = new Date(Date.UTC(2030, 5, 1)); // after every earn, before any expiry

    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 14 }), async (operations) => {
        const model = new LedgerModel();
        const account = { memberId: newId(), userId: newId() };
        const spendOrders: string[] = [];
        const holdIds: string[] = [];
        for (const op of operations) {
          if (op.kind === 'earn') {
            model.earn(op.points, op.day);
            await ledger.transact((manager) =>
              ledger.credit(manager, account, {
                points: op.points,
                source: 'adjustment',
                sourceId: newId(),
                kind: 'earn:model',
                at: new Date(base + op.day * 86_400_000),
              }),
            );
          } else if (op.kind === 'spend') {
            const taken = model.take(op.points);
            const orderId = newId();
            const spent = ledger.transact((manager) =>
              ledger.debit(manager, account, {
                points: op.points,
                source: 'order',
                sourceId: orderId,
                kind: 'use:order',
                at: now,
              }),
            );
            if (taken) {
              await spent;
              model.spends.push({ taken, cancelled: false });
              spendOrders.push(orderId);
            } else {
              await expect(spent).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
            }
          } else if (op.kind === 'cancel') {
            const spend = model.spends[op.spend];
            if (!spend) continue;
            if (!spend.cancelled) model.giveBack(spend.taken);
            spend.cancelled = true;
            await ledger.transact((manager) =>
              ledger.restoreOrder(manager, account, spendOrders[op.spend] as string),
            );
          } else if (op.kind === 'reserve') {
            const taken = model.take(op.points);
            const reserved = ledger.transact((manager) =>
              holds.reserve(manager, account, {
                points: op.points,
                orderId: newId(),
                ttlSeconds: 3600,
                at: now,
              }),
            );
            if (taken) {
              holdIds.push((await reserved).holdId);
              model.holds.push({ taken, points: op.points, status: 'reserved' });
            } else {
              await expect(reserved).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
            }
          } else {
            const hold = model.holds[op.hold];
            const holdId = holdIds[op.hold];
            if (!hold || !holdId || hold.status !== 'reserved') continue;
            if (op.kind === 'capture') {
              hold.status = 'captured';
              await ledger.transact((manager) => holds.capture(manager, account, holdId, now));
            } else {
              hold.status = 'released';
              model.giveBack(hold.taken);
              await ledger.transact((manager) => holds.release(manager, account, holdId, now));
            }
          }
        }

        const [row] = await env.dataSource.query<Array<{ available: string; held: string }>>(
          'SELECT available, held FROM point_account WHERE member_id = ?',
          [account.memberId],
        );
        const lots = await env.dataSource.query<Array<{ remaining: string }>>(
          'SELECT remaining FROM point_lot WHERE member_id = ? ORDER BY id',
          [account.memberId],
        );
        expect({
          available: Number(row?.available ?? 0),
          held: Number(row?.held ?? 0),
          lots: lots.map((lot) => Number(lot.remaining)),
        }).toEqual({
          available: model.available,
          held: model.held,
          lots: model.lots.map((lot) => lot.remaining),
        });
      }),
      { numRuns: 100 },
    );
  });
});
