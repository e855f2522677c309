import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { TransactionsQueryDto, UsePointsDto } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppMetrics } from '@member-system/shared/observability';
import { Clock, JobRegistry } from '@member-system/shared/service';
import type { Subject } from '@member-system/shared/service';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  publishEvent,
  waitFor,
} from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { GetBalanceQuery } from '../src/accounts/queries/get-balance/get-balance.query';
import { CheckInCommand } from '../src/ledger/commands/check-in/check-in.command';
import { UsePointsCommand } from '../src/ledger/commands/use-points/use-points.command';
import { Ledger } from '../src/ledger/core/ledger';
import { historyPageQuery } from '../src/ledger/queries/list-transactions/list-transactions.handler';
import { ListTransactionsQuery } from '../src/ledger/queries/list-transactions/list-transactions.query';
import { startPointService } from './point-service-kit';

let nextId = 5_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));

describe('point-service ledger', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let clock: Clock;

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env);
    clock = app.get(Clock);
  });

  afterEach(() => {
    clock.now = () => new Date();
  });

  // Each use case as the RPC controllers dispatch it, through the service's buses.
  const usePoints = (userId: string, use: UsePointsDto) =>
    app.get(CommandBus).execute(new UsePointsCommand(userId, use));
  const checkIn = (userId: string) => app.get(CommandBus).execute(new CheckInCommand(userId));
  const transactions = (subject: Subject, filters: TransactionsQueryDto) =>
    app.get(QueryBus).execute(new ListTransactionsQuery(subject, filters));
  const balanceOf = (subject: Subject) => app.get(QueryBus).execute(new GetBalanceQuery(subject));

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function member(): Promise<{ memberId: string; userId: string }> {
    const account = { memberId: newId(), userId: newId() };
    await env.dataSource.query('INSERT INTO point_account (member_id, user_id) VALUES (?, ?)', [
      account.memberId,
      account.userId,
    ]);
    return account;
  }

  async function credit(
    account: { memberId: string; userId: string },
    points: number,
    at = new Date(),
  ): Promise<void> {
    await withTransaction(env.dataSource, (manager) =>
      app.get(Ledger).credit(manager, account, {
        points,
        source: 'adjustment',
        sourceId: newId(),
        kind: 'earn:test',
        at,
      }),
    );
  }

  async function state(memberId: string) {
    const [account] = await env.dataSource.query<
      Array<{ available: string; lifetime_used: string; lifetime_earned: string }>
    >('SELECT available, lifetime_used, lifetime_earned FROM point_account WHERE member_id = ?', [
      memberId,
    ]);
    const [lots] = await env.dataSource.query<Array<{ remaining: string | null }>>(
      'SELECT SUM(remaining) AS remaining FROM point_lot WHERE member_id = ?',
      [memberId],
    );
    const [allocated] = await env.dataSource.query<Array<{ points: string | null }>>(
      `SELECT SUM(a.points) AS points FROM point_allocation a JOIN point_lot l ON l.id = a.lot_id WHERE l.member_id = ?`,
      [memberId],
    );
    return {
      available: Number(account?.available),
      used: Number(account?.lifetime_used),
      earned: Number(account?.lifetime_earned),
      lotsRemaining: Number(lots?.remaining ?? 0),
      allocated: Number(allocated?.points ?? 0),
    };
  }

  async function consumed(outcomes: string[]): Promise<number> {
    const { values } = await app.get(AppMetrics).eventsConsumed.get();
    return values
      .filter((value) => outcomes.includes(String(value.labels['outcome'])))
      .reduce((sum, v) => sum + v.value, 0);
  }

  it('earns an order at the multiplier of the level before it, once however often it is delivered', async () => {
    const account = await member();
    const settledBefore = await consumed(['handled', 'duplicate']);
    const credited = (orderId: string, amount: string, levelBefore: number) =>
      envelopeOf('member.order-credited.v1', {
        orderId,
        ...account,
        amount,
        levelBefore,
        levelAfter: 2,
        completedAt: new Date().toISOString(),
      });
    const first = credited(newId(), '999.99', 1);
    const second = credited(newId(), '100.50', 2);

    await Promise.all([first, first, second, second].map((event) => publishEvent(env.amqp, event)));
    await waitFor(async () => (await consumed(['handled', 'duplicate'])) - settledBefore === 4, {
      what: 'four deliveries',
    });

    // floor(999.99 × 1.0) + floor(100.50 × 1.2)
    expect(await state(account.memberId)).toMatchObject({
      available: 999 + 120,
      earned: 1119,
      lotsRemaining: 1119,
    });
  });

  it('earns at the POINTS_MULTIPLIER benefit-service announced for the level, keeping the newest announcement', async () => {
    const account = await member();
    const announce = (version: number, multiplier: string) =>
      envelopeOf('benefit.level-benefits-changed.v1', {
        levelId: 4,
        version,
        benefits: [
          { benefitId: '1', type: 'DISCOUNT', params: { rate: '0.92' } },
          { benefitId: '2', type: 'POINTS_MULTIPLIER', params: { multiplier } },
        ],
      });
    const settledBefore = await consumed(['handled', 'duplicate']);
    await publishEvent(env.amqp, announce(7, '2.5'));
    await publishEvent(env.amqp, announce(6, '1.1')); // older: ignored
    await waitFor(async () => (await consumed(['handled', 'duplicate'])) - settledBefore === 2, {
      what: 'two announcements',
    });
    await publishEvent(
      env.amqp,
      envelopeOf('member.order-credited.v1', {
        orderId: newId(),
        ...account,
        amount: '100.00',
        levelBefore: 4,
        levelAfter: 4,
        completedAt: new Date().toISOString(),
      }),
    );
    await waitFor(async () => (await consumed(['handled', 'duplicate'])) - settledBefore === 3, {
      what: 'the order',
    });

    expect(await state(account.memberId)).toMatchObject({ available: 250, earned: 250 });
  });

  it('lets exactly the affordable spends of 200 concurrent ones succeed, and the ledger stays exact', async () => {
    const account = await member();
    await credit(account, 600);
    await credit(account, 400);

    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => usePoints(account.userId, { points: 7, orderId: newId() })),
    );

    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(succeeded).toHaveLength(142);
    expect(
      refused.every(
        (result) => (result.reason as { code?: string }).code === 'POINTS_INSUFFICIENT',
      ),
    ).toBe(true);
    expect(await state(account.memberId)).toEqual({
      available: 6,
      used: 994,
      earned: 1000,
      lotsRemaining: 6,
      allocated: 994,
    });
  });

  it('spends the lots that expire first and records which lots gave what', async () => {
    const account = await member();
    await credit(account, 100, new Date('2026-03-01T00:00:00Z'));
    await credit(account, 100, new Date('2026-01-01T00:00:00Z'));
    await credit(account, 100, new Date('2026-02-01T00:00:00Z'));

    await usePoints(account.userId, { points: 150, orderId: newId() });

    const lots = await env.dataSource.query<Array<{ earned_at: Date; remaining: string }>>(
      'SELECT earned_at, remaining FROM point_lot WHERE member_id = ? ORDER BY earned_at',
      [account.memberId],
    );
    expect(
      lots.map((lot) => [lot.earned_at.toISOString().slice(0, 7), Number(lot.remaining)]),
    ).toEqual([
      ['2026-01', 0],
      ['2026-02', 50],
      ['2026-03', 100],
    ]);
  });

  it('returns the first result for a repeated spend of the same order, and refuses a different one', async () => {
    const account = await member();
    await credit(account, 50);
    const orderId = newId();

    const first = await usePoints(account.userId, { points: 20, orderId });
    await expect(usePoints(account.userId, { points: 20, orderId })).resolves.toEqual(first);
    await expect(usePoints(account.userId, { points: 30, orderId })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await state(account.memberId)).toMatchObject({ available: 30, used: 20 });
  });

  it('checks in once a business day, with 20 points on every 7th consecutive day', async () => {
    const account = await member();
    const points: number[] = [];
    for (let day = 1; day <= 8; day += 1) {
      clock.now = () => new Date(`2030-01-${String(day).padStart(2, '0')}T02:00:00Z`);
      points.push((await checkIn(account.userId)).points);
    }
    await expect(checkIn(account.userId)).rejects.toMatchObject({
      code: 'ALREADY_CHECKED_IN',
    });
    clock.now = () => new Date('2030-01-10T02:00:00Z'); // a day missed: the streak starts over
    const restart = await checkIn(account.userId);

    expect(points).toEqual([5, 5, 5, 5, 5, 5, 20, 5]);
    expect(restart).toMatchObject({ streak: 1, points: 5 });
  });

  it('checks a member in once when the same day comes ten times at once', async () => {
    const account = await member();
    clock.now = () => new Date('2030-02-01T02:00:00Z');

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => checkIn(account.userId)),
    );

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(
      results
        .filter((result) => result.status === 'rejected')
        .map((result) => (result.reason as { code?: string }).code),
    ).toEqual(Array.from({ length: 9 }, () => 'ALREADY_CHECKED_IN'));
    expect(await state(account.memberId)).toMatchObject({ available: 5, earned: 5 });
    const [days] = await env.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM check_in WHERE member_id = ?',
      [account.memberId],
    );
    expect(Number(days?.n)).toBe(1);
  });

  it('links every earn in the history to the lot it created, and every spend to the lots it took', async () => {
    const account = await member();
    await Promise.all(Array.from({ length: 12 }, (_, index) => credit(account, 10 + index)));
    await usePoints(account.userId, { points: 25, orderId: newId() });

    const earns = await env.dataSource.query<
      Array<{ points: string; lot_member: string | null; amount: string | null; same: number }>
    >(
      `SELECT t.points, l.member_id AS lot_member, l.amount, t.source_id = l.source_id AS same
         FROM point_transaction t LEFT JOIN point_lot l ON l.id = t.lot_id
        WHERE t.member_id = ? AND t.type = 'earn'`,
      [account.memberId],
    );
    expect(earns).toHaveLength(12);
    for (const earn of earns) {
      expect(earn.lot_member).toBe(account.memberId);
      expect(earn.amount).toBe(earn.points);
      expect(Number(earn.same)).toBe(1);
    }
    const [spend] = await env.dataSource.query<Array<{ taken: string; balance_after: string }>>(
      `SELECT SUM(a.points) AS taken, MIN(t.balance_after) AS balance_after
         FROM point_transaction t JOIN point_allocation a ON a.transaction_id = t.id
        WHERE t.member_id = ? AND t.type = 'use'`,
      [account.memberId],
    );
    expect(spend).toEqual({ taken: '25', balance_after: String(186 - 25) });
  });

  it('opens the account of a member whose first credit comes before their registration', async () => {
    const account = { memberId: newId(), userId: newId() };

    await credit(account, 30);
    await credit(account, 12);
    await expect(
      app.get(Ledger).transact((manager) =>
        app.get(Ledger).debit(manager, account, {
          points: 50,
          source: 'order',
          sourceId: newId(),
          kind: 'use:order',
          at: new Date(),
        }),
      ),
    ).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });

    expect(await state(account.memberId)).toEqual({
      available: 42,
      used: 0,
      earned: 42,
      lotsRemaining: 42,
      allocated: 0,
    });
  });

  it('earns review points up to five reviews a day, each review once', async () => {
    const account = await member();
    const settledBefore = await consumed(['handled', 'duplicate']);
    const reviews = Array.from({ length: 6 }, () =>
      envelopeOf('review.approved.v1', { reviewId: newId(), userId: account.userId }),
    );

    for (const review of [...reviews, reviews[0]!]) await publishEvent(env.amqp, review);
    await waitFor(async () => (await consumed(['handled', 'duplicate'])) - settledBefore === 7, {
      what: 'seven deliveries',
    });

    expect(await state(account.memberId)).toMatchObject({ available: 50, earned: 50 });
  });

  it('pages the history newest first without repeating or skipping', async () => {
    const account = await member();
    for (let index = 0; index < 5; index += 1) await credit(account, index + 1);

    const first = await transactions({ userId: account.userId }, { limit: 2 });
    const second = await transactions(
      { userId: account.userId },
      {
        limit: 2,
        cursor: first.nextCursor ?? '',
      },
    );
    const third = await transactions(
      { userId: account.userId },
      {
        limit: 2,
        cursor: second.nextCursor ?? '',
      },
    );

    expect([...first.items, ...second.items, ...third.items].map((item) => item.points)).toEqual([
      5, 4, 3, 2, 1,
    ]);
    expect(third.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ type: 'earn', balanceAfter: 15, source: 'adjustment' });
    await expect(
      transactions({ userId: account.userId }, { cursor: 'nonsense' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('reads the balance with the points of unexpired lots that expire within 30 days', async () => {
    const account = await member();
    const daysAgo = (days: number): Date => new Date(Date.now() - days * 86_400_000);
    // Lots last two years: earned 720 days ago expires in about 10 days, 680 days ago in about 50.
    await credit(account, 7, daysAgo(720));
    await credit(account, 11, daysAgo(680));
    await credit(account, 13);
    await credit(account, 17, daysAgo(740)); // past its expiry, not yet taken by the expiry job

    const balance = await balanceOf({ userId: account.userId });

    expect(balance).toMatchObject({
      available: 48,
      frozen: 0,
      held: 0,
      debt: 0,
      lifetimeEarned: 48,
      lifetimeUsed: 0,
      expiringSoon: { points: 7 },
    });
    const before = Date.parse(balance.expiringSoon.before) - Date.now();
    expect(Math.round(before / 86_400_000)).toBe(30);
  });

  it('reads every history page from the member index alone, never from the table rows', async () => {
    const account = await member();
    for (let index = 0; index < 30; index += 1) await credit(account, index + 1);
    const first = await transactions({ userId: account.userId }, {});
    const shapes: Record<string, TransactionsQueryDto> = {
      first: {},
      next: { cursor: first.nextCursor ?? '' },
      type: { type: 'earn' },
      range: { from: '2026-01-01T00:00:00.000Z', to: '2099-01-01T00:00:00.000Z', limit: 5 },
    };
    for (const [shape, query] of Object.entries(shapes)) {
      const { sql, params } = historyPageQuery(account.memberId, query, query.limit ?? 20);
      const plan = await env.dataSource.query<Array<{ key: string | null; Extra: string }>>(
        `EXPLAIN ${sql}`,
        params,
      );
      expect({
        shape,
        key: plan[0]?.key,
        covered: /Using index\b/.test(plan[0]?.Extra ?? ''),
      }).toEqual({ shape, key: 'ix_point_transaction_member_rows', covered: true });
    }
  });

  it("gives a cancelled order's points back to the same lots, once, however often the cancellation arrives", async () => {
    const account = await member();
    await credit(account, 100, new Date('2026-01-01T00:00:00Z'));
    await credit(account, 100, new Date('2026-02-01T00:00:00Z'));
    const before = await env.dataSource.query<Array<{ id: string; expires_at: Date }>>(
      'SELECT id, expires_at FROM point_lot WHERE member_id = ? ORDER BY id',
      [account.memberId],
    );
    const orderId = newId();
    await usePoints(account.userId, { points: 150, orderId });
    const settledBefore = await consumed(['handled', 'duplicate']);
    const cancelled = envelopeOf('order.cancelled.v1', { orderId, userId: account.userId });

    await publishEvent(env.amqp, cancelled);
    await publishEvent(env.amqp, cancelled);
    await publishEvent(
      env.amqp,
      envelopeOf('order.cancelled.v1', { orderId, userId: account.userId }),
    );
    await waitFor(async () => (await consumed(['handled', 'duplicate'])) - settledBefore === 3, {
      what: 'three cancellations',
    });

    expect(await state(account.memberId)).toMatchObject({
      available: 200,
      used: 0,
      lotsRemaining: 200,
    });
    const after = await env.dataSource.query<
      Array<{ id: string; expires_at: Date; remaining: string }>
    >('SELECT id, expires_at, remaining FROM point_lot WHERE member_id = ? ORDER BY id', [
      account.memberId,
    ]);
    expect(
      after.map((lot) => [lot.id, lot.expires_at.toISOString(), Number(lot.remaining)]),
    ).toEqual(before.map((lot) => [lot.id, lot.expires_at.toISOString(), 100]));
  });

  it('refuses to spend on an order whose cancellation arrived first', async () => {
    const account = await member();
    await credit(account, 100);
    const orderId = newId();
    await withTransaction(env.dataSource, (manager) =>
      app.get(Ledger).restoreOrder(manager, account, orderId),
    );

    await expect(usePoints(account.userId, { points: 10, orderId })).rejects.toMatchObject({
      code: 'ORDER_CANCELLED',
    });
    expect(await state(account.memberId)).toMatchObject({ available: 100, used: 0 });
  });

  it('credits the birthday gift benefit-service granted once a year, and a campaign reward once per participation', async () => {
    const account = await member();
    const settledBefore = await consumed(['handled', 'duplicate']);
    const gift = { ...account, benefitId: '4', levelId: 3, year: 2026, points: 300 };
    const birthday = envelopeOf('benefit.birthday-gift-granted.v1', gift);
    const sameBirthdayAgain = envelopeOf('benefit.birthday-gift-granted.v1', gift);
    const participationId = newId();
    const reward = envelopeOf('campaign.reward-granted.v1', {
      campaignId: newId(),
      participationId,
      ...account,
      reward: { points: 50 },
    });

    for (const event of [birthday, birthday, sameBirthdayAgain, reward, reward])
      await publishEvent(env.amqp, event);
    await waitFor(async () => (await consumed(['handled', 'duplicate'])) - settledBefore === 5, {
      what: 'five deliveries',
    });

    expect(await state(account.memberId)).toMatchObject({ available: 350, earned: 350 });
  });

  it('registers the ledger jobs on their schedules, each run dispatching its command', async () => {
    const registry = app.get(JobRegistry);
    const jobs = ['expire-holds', 'expire-points', 'release-freezes', 'reconcile-points'];

    expect(jobs.map((name) => registry.get(name)?.schedule)).toEqual([
      { everyMs: 60_000 },
      { dailyAt: '00:10' },
      { everyMs: 3_600_000 },
      { dailyAt: '04:00' },
    ]);
    // As of 1970 no hold has expired yet.
    await expect(registry.get('expire-holds')?.run(new Date(0))).resolves.toEqual({ expired: 0 });
  });
});
