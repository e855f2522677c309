import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { EarnBatchDto, EarnBatchResult } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, outboxEvents } from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { EarnBatchCommand } from '../src/ledger/commands/earn-batch/earn-batch.command';
import { EarnOrderPointsCommand } from '../src/ledger/commands/earn-order-points/earn-order-points.command';
import { ReconcilePointsCommand } from '../src/ledger/commands/reconcile-points/reconcile-points.command';
import { Ledger } from '../src/ledger/core/ledger';
import { Refunds } from '../src/ledger/core/refunds';
import { skipAfterCommit, startPointService } from './point-service-kit';

let nextId = 7_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));

type Account = { memberId: string; userId: string };
type Item = EarnBatchDto['items'][number];

describe('point-service batch earn (bulk SQL)', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  const batches = {
    execute: (batch: EarnBatchDto): Promise<EarnBatchResult> =>
      app.get(CommandBus).execute(new EarnBatchCommand(batch)),
  };

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  const tx = <T>(work: Parameters<typeof withTransaction<T>>[1]): Promise<T> =>
    withTransaction(env.dataSource, work);

  async function memberWith(points: number): Promise<Account> {
    const account = { memberId: newId(), userId: newId() };
    await tx((manager) =>
      app.get(Ledger).credit(manager, account, {
        points,
        source: 'adjustment',
        sourceId: newId(),
        kind: 'earn:adjustment',
        at: new Date(),
      }),
    );
    return account;
  }

  /** A member who spent an order's 100 points and then had the order refunded: 100 in debt. */
  async function memberInDebt(): Promise<Account> {
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
              amount: '100.00',
              levelBefore: 1,
              levelAfter: 1,
              completedAt: new Date().toISOString(),
            },
          ],
          skipAfterCommit,
        ),
      ),
    );
    await tx((manager) =>
      app.get(Ledger).debit(manager, account, {
        points: 100,
        source: 'order',
        sourceId: newId(),
        kind: 'use:order',
        at: new Date(),
      }),
    );
    await tx((manager) =>
      app.get(Refunds).reverse(manager, account, {
        orderId,
        refundId: newId(),
        amountCents: 10_000,
        at: new Date(),
      }),
    );
    return account;
  }

  async function account(memberId: string) {
    const [row] = await env.dataSource.query<Array<Record<string, string>>>(
      'SELECT available, debt, lifetime_earned FROM point_account WHERE member_id = ?',
      [memberId],
    );
    return {
      available: Number(row?.available),
      debt: Number(row?.debt),
      earned: Number(row?.lifetime_earned),
    };
  }

  /** The member's earn history, oldest first: points, balance after, and its lot's amount and rest. */
  async function earnHistory(memberId: string) {
    const rows = await env.dataSource.query<Array<Record<string, string>>>(
      `SELECT t.points, t.balance_after, t.source_id, l.amount, l.remaining, o.transaction_id = t.id AS settled
         FROM point_transaction t
         JOIN point_lot l ON l.id = t.lot_id
         JOIN point_operation o ON o.member_id = t.member_id AND o.natural_key = t.source_id
              AND o.kind IN (CONCAT('batch:', t.source), CONCAT('earn:', t.source))
        WHERE t.member_id = ? AND t.type = 'earn' ORDER BY t.id`,
      [memberId],
    );
    return rows.map((row) => ({
      sourceId: String(row.source_id),
      points: Number(row.points),
      balanceAfter: Number(row.balance_after),
      lot: [Number(row.amount), Number(row.remaining)],
      settled: Number(row.settled),
    }));
  }

  const item = (memberId: string, points: number, sourceId: string): Item => ({
    memberId,
    points,
    source: 'campaign',
    sourceId,
  });

  it('credits each item once, pays debt first, and reports duplicates and unknown members', async () => {
    const rich = await memberWith(10);
    const indebted = await memberInDebt();
    const unknown = newId();
    const tag = newId();
    // One item was credited before, alone, under the same bulk-credit key.
    await tx((manager) =>
      app.get(Ledger).credit(manager, rich, {
        points: 7,
        source: 'campaign',
        sourceId: `${tag}-early`,
        kind: 'batch:campaign',
        at: new Date(),
      }),
    );
    const items = [
      item(rich.memberId, 5, `${tag}-1`),
      item(indebted.memberId, 60, `${tag}-2`),
      item(rich.memberId, 3, `${tag}-3`),
      item(unknown, 9, `${tag}-4`),
      item(indebted.memberId, 70, `${tag}-5`),
      item(rich.memberId, 5, `${tag}-1`), // repeated in the batch
      item(rich.memberId, 7, `${tag}-early`),
    ];

    const first = await batches.execute({ items });
    const again = await batches.execute({ items });

    expect(first).toEqual<EarnBatchResult>({
      credited: 4,
      duplicates: 2,
      unknownMembers: [unknown],
      points: 138,
    });
    expect(again).toEqual<EarnBatchResult>({
      credited: 0,
      duplicates: 6,
      unknownMembers: [unknown],
      points: 0,
    });
    expect(await account(rich.memberId)).toEqual({ available: 25, debt: 0, earned: 25 });
    // 100 of debt: the 60 pays 60, the 70 pays 40 and keeps 30; each earn row is followed by the
    // repay row of what it paid.
    expect(await account(indebted.memberId)).toEqual({ available: 30, debt: 0, earned: 230 });
    expect((await earnHistory(indebted.memberId)).slice(1)).toEqual([
      { sourceId: `${tag}-2`, points: 60, balanceAfter: 60, lot: [60, 0], settled: 1 },
      { sourceId: `${tag}-5`, points: 70, balanceAfter: 70, lot: [70, 30], settled: 1 },
    ]);
    const repaid = await env.dataSource.query<Array<Record<string, string>>>(
      "SELECT points, balance_after, debt_after FROM point_transaction WHERE member_id = ? AND type = 'repay' ORDER BY id",
      [indebted.memberId],
    );
    expect(
      repaid.map((row) => [row.points, row.balance_after, row.debt_after].map(Number)),
    ).toEqual([
      [-60, 0, 40],
      [-40, 30, 0],
    ]);
    expect((await earnHistory(rich.memberId)).slice(2)).toEqual([
      { sourceId: `${tag}-1`, points: 5, balanceAfter: 22, lot: [5, 5], settled: 1 },
      { sourceId: `${tag}-3`, points: 3, balanceAfter: 25, lot: [3, 3], settled: 1 },
    ]);
    const events = (
      await outboxEvents<{ sourceId: string; balanceAfter: number; transactionId: string }>(
        env,
        'points.earned.v1',
      )
    ).filter((event) => event.sourceId.startsWith(`${tag}-`) && event.sourceId !== `${tag}-early`);
    // Members in id order (the rich one opened first), each one's items in batch order.
    expect(events.map((event) => [event.sourceId, event.balanceAfter])).toEqual([
      [`${tag}-1`, 22],
      [`${tag}-3`, 25],
      [`${tag}-2`, 0],
      [`${tag}-5`, 30],
    ]);
    expect(events.every((event) => /^\d+$/.test(event.transactionId))).toBe(true);
    expect(await app.get(CommandBus).execute(new ReconcilePointsCommand())).toMatchObject({
      drifted: 0,
    });
  });

  it('credits a member whose items span several transactions, in the order the batch lists them', async () => {
    const member = await memberWith(0);
    const tag = newId();
    const items = Array.from({ length: 1_200 }, (_, index) =>
      item(member.memberId, (index % 3) + 1, `${tag}-${index}`),
    );

    expect(await batches.execute({ items })).toMatchObject({ credited: 1_200, duplicates: 0 });

    const history = await earnHistory(member.memberId);
    expect(history).toHaveLength(1_200);
    let balance = 0;
    history.forEach((entry, index) => {
      balance += (index % 3) + 1;
      expect(entry).toEqual({
        sourceId: `${tag}-${index}`,
        points: (index % 3) + 1,
        balanceAfter: balance,
        lot: [(index % 3) + 1, (index % 3) + 1],
        settled: 1,
      });
    });
    expect(await account(member.memberId)).toEqual({ available: 2_400, debt: 0, earned: 2_400 });
  });

  it('credits each item once when the same batch runs concurrently with itself and with single credits', async () => {
    const members = await Promise.all(Array.from({ length: 5 }, () => memberWith(0)));
    const tag = newId();
    const items = Array.from({ length: 1_000 }, (_, index) =>
      item((members[index % 5] as Account).memberId, 2, `${tag}-${index}`),
    );
    const singles = items.slice(0, 100).map((single) =>
      tx((manager) =>
        app.get(Ledger).credit(
          manager,
          { memberId: single.memberId, userId: '1' },
          {
            points: single.points,
            source: 'campaign',
            sourceId: single.sourceId,
            kind: 'batch:campaign',
            at: new Date(),
          },
        ),
      ),
    );

    const results = await Promise.all([
      batches.execute({ items }),
      batches.execute({ items }),
      batches.execute({ items: [...items].reverse() }),
      ...singles,
    ]);

    const batchResults = results.slice(0, 3) as EarnBatchResult[];
    const singlesCredited = results.slice(3).filter((result) => result !== undefined).length;
    expect(batchResults.reduce((sum, result) => sum + result.credited, 0) + singlesCredited).toBe(
      1_000,
    );
    for (const member of members) {
      expect(await account(member.memberId)).toEqual({ available: 400, debt: 0, earned: 400 });
    }
    expect(await app.get(CommandBus).execute(new ReconcilePointsCommand())).toMatchObject({
      drifted: 0,
    });
  });
});
