import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Actor, EventEnvelope, EventType, OrderRefundedV1 } from '@member-system/contracts';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  outboxEvents,
  publishEvent,
  waitFor,
} from '@member-system/shared/testing';
import { memberDatabase } from '../src/database/data-source';
import { inUnitOfWork } from '../src/database/unit-of-work';
import { CreateLevelCommand } from '../src/levels/commands/create-level/create-level.command';
import { SetMemberLevelCommand } from '../src/levels/commands/set-member-level/set-member-level.command';
import { UpdateLevelCommand } from '../src/levels/commands/update-level/update-level.command';
import { LevelProgressQuery } from '../src/levels/queries/level-progress/level-progress.query';
import { RegisterMemberCommand } from '../src/members/commands/register-member/register-member.command';
import { ApplyRefundCommand } from '../src/spending/commands/apply-refund/apply-refund.command';
import { outcomeCount, startMemberService, waitForDeliveries } from './member-service-kit';

interface Credited {
  orderId: string;
  levelBefore: number;
  levelAfter: number;
  amount: string;
}
interface LevelChanged {
  memberId: string;
  oldLevelId: number;
  newLevelId: number;
  version: number;
  reason: string;
}

let nextId = 8_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));

const admin: Actor = { userId: '1', roles: ['admin'], perms: ['members:write'] };

/** A refund applied as the consumer applies it, in a transaction of its own. */
function applyRefund(
  app: INestApplicationContext,
  env: IntegrationEnv,
  refund: OrderRefundedV1,
): Promise<{ outcome: 'applied' | 'duplicate' }> {
  return inUnitOfWork(env.dataSource, ({ manager, afterCommit }) =>
    app.get(CommandBus).execute(new ApplyRefundCommand(manager, afterCommit, refund)),
  );
}

const completed = (userId: string, orderId: string, amount: string) =>
  envelopeOf('order.completed.v1', {
    orderId,
    userId,
    amount,
    currency: 'CNY',
    completedAt: new Date().toISOString(),
  });

async function memberRow(
  env: IntegrationEnv,
  userId: string,
): Promise<{ id: string; level_id: number; total_spent_cents: string; level_version: number }> {
  const [row] = await env.dataSource.query<
    Array<{ id: string; level_id: number; total_spent_cents: string; level_version: number }>
  >('SELECT id, level_id, total_spent_cents, level_version FROM member WHERE user_id = ?', [
    userId,
  ]);
  if (!row) throw new Error(`no member for user ${userId}`);
  return row;
}

describe('member-service levels by spending', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;
  let deliveries = 0;

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    app = await startMemberService(env);
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function deliver(...events: Array<EventEnvelope<unknown, EventType>>): Promise<void> {
    await Promise.all(events.map((event) => publishEvent(env.amqp, event)));
    deliveries += events.length;
    await waitForDeliveries(app, deliveries);
  }

  it('upgrades once per threshold, in order, with every order delivered twice; the order that lifts a member earns at the level before', async () => {
    const userId = newId();
    const [o1, o2, o3] = [newId(), newId(), newId()];
    const first = completed(userId, o1, '600.00');
    await deliver(first, first);
    const second = completed(userId, o2, '500.00');
    await deliver(second, second);
    const third = completed(userId, o3, '4000.00');
    await deliver(third, third);

    const member = await memberRow(env, userId);
    expect(member).toMatchObject({ level_id: 3, total_spent_cents: '510000', level_version: 3 });
    const credited = (await outboxEvents<Credited>(env, 'member.order-credited.v1')).filter(
      (event) => [o1, o2, o3].includes(event.orderId),
    );
    expect(
      credited.map(({ orderId, levelBefore, levelAfter }) => [orderId, levelBefore, levelAfter]),
    ).toEqual([
      [o1, 1, 1],
      [o2, 1, 2],
      [o3, 2, 3],
    ]);
    const changes = (await outboxEvents<LevelChanged>(env, 'member.level-changed.v1')).filter(
      (event) => event.memberId === member.id,
    );
    expect(
      changes.map(({ oldLevelId, newLevelId, version }) => [oldLevelId, newLevelId, version]),
    ).toEqual([
      [1, 2, 2],
      [2, 3, 3],
    ]);
    const history = await env.dataSource.query<
      Array<{ version: number; reason: string; source_id: string }>
    >('SELECT version, reason, source_id FROM level_history WHERE member_id = ? ORDER BY version', [
      member.id,
    ]);
    expect(history).toEqual([
      { version: 2, reason: 'spend', source_id: o2 },
      { version: 3, reason: 'spend', source_id: o3 },
    ]);
  });

  it('counts concurrent orders of one member exactly once each, even delivered twice, and changes level once', async () => {
    const userId = newId();
    const orders = Array.from({ length: 10 }, () => completed(userId, newId(), '200.00'));

    await deliver(...orders, ...orders);

    const member = await memberRow(env, userId);
    expect(member).toMatchObject({ level_id: 2, total_spent_cents: '200000', level_version: 2 });
    const credited = (await outboxEvents<Credited>(env, 'member.order-credited.v1')).filter(
      (event) => orders.some((order) => order.payload.orderId === event.orderId),
    );
    expect(credited).toHaveLength(10);
    expect(
      credited.filter((event) => event.levelBefore === 1 && event.levelAfter === 2),
    ).toHaveLength(1);
    const lifted = credited.findIndex((event) => event.levelAfter === 2);
    expect(
      credited.slice(0, lifted).every((event) => event.levelBefore === 1 && event.levelAfter === 1),
    ).toBe(true);
    expect(
      credited
        .slice(lifted + 1)
        .every((event) => event.levelBefore === 2 && event.levelAfter === 2),
    ).toBe(true);
  });

  it('credits the orders of several members that arrive together, in batches, each once, lifting each member once', async () => {
    const userIds = Array.from({ length: 4 }, () => newId());
    // Each user becomes a member with a first small order.
    await deliver(...userIds.map((userId) => completed(userId, newId(), '10.00')));
    const orders = userIds.flatMap((userId) =>
      Array.from({ length: 10 }, () => completed(userId, newId(), '150.00')),
    );
    const repeats = orders.filter((_, index) => index % 5 === 0);
    const republished = orders
      .filter((_, index) => index % 3 === 0)
      .map((order) => envelopeOf('order.completed.v1', order.payload));

    await deliver(...orders, ...repeats, ...republished);

    for (const userId of userIds) {
      const member = await memberRow(env, userId);
      expect(member).toMatchObject({ level_id: 2, total_spent_cents: '151000', level_version: 2 });
      const [counted] = await env.dataSource.query<Array<{ n: string }>>(
        'SELECT COUNT(*) AS n FROM member_order WHERE member_id = ?',
        [member.id],
      );
      expect(Number(counted?.n)).toBe(11);
      const credited = (
        await outboxEvents<Credited & { memberId: string }>(env, 'member.order-credited.v1')
      ).filter((event) => event.memberId === member.id);
      expect(credited).toHaveLength(11);
      expect(credited.filter((event) => event.levelBefore !== event.levelAfter)).toEqual([
        expect.objectContaining({ levelBefore: 1, levelAfter: 2 }),
      ]);
      const changes = (await outboxEvents<LevelChanged>(env, 'member.level-changed.v1')).filter(
        (event) => event.memberId === member.id,
      );
      expect(changes.map((event) => [event.oldLevelId, event.newLevelId])).toEqual([[1, 2]]);
    }
  });

  it('registers an unknown user who completes an order', async () => {
    const userId = newId();
    await deliver(completed(userId, newId(), '10.00'));

    expect(await memberRow(env, userId)).toMatchObject({ level_id: 1, total_spent_cents: '1000' });
    const registered = (
      await outboxEvents<{ userId: string; source: string }>(env, 'member.registered.v1')
    ).filter((event) => event.userId === userId);
    expect(registered).toEqual([expect.objectContaining({ userId, source: 'platform' })]);
  });

  it('adds up partial refunds, never past the order, once per refund id; under `never` the level stays', async () => {
    const userId = newId();
    const orderId = newId();
    await deliver(completed(userId, orderId, '1200.00'));
    const refund = (refundId: string, amount: string) =>
      applyRefund(app, env, { orderId, userId, refundId, amount });

    const refundA = newId();
    await expect(refund(refundA, '300.00')).resolves.toMatchObject({ outcome: 'applied' });
    await expect(refund(refundA, '300.00')).resolves.toMatchObject({ outcome: 'duplicate' });
    await expect(refund(newId(), '1000.00')).resolves.toMatchObject({ outcome: 'applied' });

    expect(await memberRow(env, userId)).toMatchObject({ total_spent_cents: '0', level_id: 2 });
    const [order] = await env.dataSource.query<Array<{ refunded_cents: string }>>(
      'SELECT refunded_cents FROM member_order WHERE order_id = ?',
      [orderId],
    );
    expect(order?.refunded_cents).toBe('120000');
  });

  it('retries a refund whose order is not credited yet instead of losing it', async () => {
    const userId = newId();
    await app.get(CommandBus).execute(new RegisterMemberCommand(userId, {}));
    const orderId = newId();
    const refund = envelopeOf('order.refunded.v1', {
      orderId,
      userId,
      refundId: newId(),
      amount: '100.00',
    });

    const retriedBefore = await outcomeCount(app, 'retried');
    await publishEvent(env.amqp, refund);
    // It fails (the order is unknown) and waits in the 50 ms delay queue…
    await waitFor(async () => (await outcomeCount(app, 'retried')) > retriedBefore, {
      what: 'the refund to fail once',
    });
    // …then the order arrives, and a later attempt of the refund succeeds.
    await deliver(completed(userId, orderId, '1100.00'));
    deliveries += 1;
    await waitForDeliveries(app, deliveries);

    expect(await memberRow(env, userId)).toMatchObject({
      total_spent_cents: '100000',
      level_id: 2,
    });
  });

  it("keeps an admin's level as a floor and records the reason", async () => {
    const userId = newId();
    const commandBus = app.get(CommandBus);
    const { member } = await commandBus.execute(new RegisterMemberCommand(userId, {}));

    const view = await commandBus.execute(
      new SetMemberLevelCommand(member.id, 3, 'Compensation for ticket 8812', admin),
    );
    await deliver(completed(userId, newId(), '50.00'));

    expect(view.level.id).toBe(3);
    expect(await memberRow(env, userId)).toMatchObject({ level_id: 3 });
    const [history] = await env.dataSource.query<
      Array<{ reason: string; note: string; source_id: string }>
    >('SELECT reason, note, source_id FROM level_history WHERE member_id = ?', [member.id]);
    expect(history).toEqual({
      reason: 'admin',
      note: 'Compensation for ticket 8812',
      source_id: '1',
    });
  });

  it('shows level progress towards the next threshold', async () => {
    const userId = newId();
    await deliver(completed(userId, newId(), '3000.00'));

    await expect(app.get(QueryBus).execute(new LevelProgressQuery(userId))).resolves.toEqual({
      currentLevel: { id: 2, name: '白银 Silver' },
      nextLevel: { id: 3, name: '黄金 Gold' },
      totalSpent: '3000.00',
      qualifyingSpend: '3000.00',
      nextLevelThreshold: '5000.00',
      remaining: '2000.00',
      percent: 50,
    });
  });

  it('refuses a ladder whose thresholds do not rise, and re-evaluates members when a threshold moves', async () => {
    const commandBus = app.get(CommandBus);
    const update = (levelId: number, minTotalSpent: string) =>
      commandBus.execute(new UpdateLevelCommand(levelId, { minTotalSpent }));
    await expect(update(3, '900.00')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      commandBus.execute(
        new CreateLevelCommand({ id: 6, name: 'Black', minTotalSpent: '40000.00' }),
      ),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });

    const userId = newId();
    await deliver(completed(userId, newId(), '9000.00'));
    expect(await memberRow(env, userId)).toMatchObject({ level_id: 3 });

    await update(4, '8000.00');
    await waitForLevel(env, userId, 4);
    await update(4, '20000.00');
  });
});

async function waitForLevel(env: IntegrationEnv, userId: string, levelId: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await memberRow(env, userId)).level_id !== levelId) {
    if (Date.now() > deadline)
      throw new Error(`member of user ${userId} never reached level ${levelId}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('member-service levels under the `immediate` downgrade policy', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    app = await startMemberService(env, { LEVEL_DOWNGRADE_POLICY: 'immediate' });
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  it('downgrades when a refund drops total spent below the threshold, but never below an admin floor', async () => {
    const userId = newId();
    const orderId = newId();
    await publishEvent(env.amqp, completed(userId, orderId, '1500.00'));
    await waitForDeliveries(app, 1);
    expect(await memberRow(env, userId)).toMatchObject({ level_id: 2 });
    const refund = (amount: string) =>
      applyRefund(app, env, { orderId, userId, refundId: newId(), amount });

    await refund('600.00');
    const downgraded = await memberRow(env, userId);
    expect(downgraded).toMatchObject({ level_id: 1, total_spent_cents: '90000' });
    const changes = (await outboxEvents<LevelChanged>(env, 'member.level-changed.v1')).filter(
      (event) => event.memberId === downgraded.id,
    );
    expect(
      changes.map(({ oldLevelId, newLevelId, version, reason }) => [
        oldLevelId,
        newLevelId,
        version,
        reason,
      ]),
    ).toEqual([
      [1, 2, 2, 'spend'],
      [2, 1, 3, 'refund'],
    ]);

    await app
      .get(CommandBus)
      .execute(new SetMemberLevelCommand(downgraded.id, 2, 'Kept as Silver by support', admin));
    await refund('800.00');
    expect(await memberRow(env, userId)).toMatchObject({ level_id: 2, total_spent_cents: '10000' });
  });
});

describe('member-service levels under the `rolling-12-months` rule', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(memberDatabase);
    app = await startMemberService(env, {
      LEVEL_RULE: 'rolling-12-months',
      LEVEL_DOWNGRADE_POLICY: 'immediate',
    });
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  it('counts only orders of the last 12 months towards the level', async () => {
    const userId = newId();
    const old = envelopeOf('order.completed.v1', {
      orderId: newId(),
      userId,
      amount: '4000.00',
      currency: 'CNY',
      completedAt: new Date(Date.now() - 400 * 86_400_000).toISOString(),
    });
    await publishEvent(env.amqp, old);
    await publishEvent(env.amqp, completed(userId, newId(), '1000.00'));
    await waitForDeliveries(app, 2);

    expect(await memberRow(env, userId)).toMatchObject({
      level_id: 2,
      total_spent_cents: '500000',
    });
    await expect(app.get(QueryBus).execute(new LevelProgressQuery(userId))).resolves.toMatchObject({
      totalSpent: '5000.00',
      qualifyingSpend: '1000.00',
    });
  });
});
