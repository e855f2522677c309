import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  publishEvent,
  waitFor,
} from '@member-system/shared/testing';
import { pointDatabase } from '../src/database/data-source';
import { ReconcilePointsCommand } from '../src/ledger/commands/reconcile-points/reconcile-points.command';
import { startPointService } from './point-service-kit';

let nextId = 9_000_000 + (Date.now() % 1_000_000);
const newId = (): string => String((nextId += 1));

/**
 * Orders arriving faster than point-service commits are earned in bulk, a batch of events at a
 * time (one transaction, one bulk credit): each order still earns exactly once, whatever repeats,
 * duplicates under other event ids and accounts not yet opened the batches hold.
 */
describe('point-service order earnings in batches', () => {
  let env: IntegrationEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    env = await openIntegrationEnv(pointDatabase);
    app = await startPointService(env, { EVENT_PREFETCH: 32, EVENT_BATCH_SIZE: 16 });
  });

  afterAll(async () => {
    await app.close();
    await env.close();
  });

  async function consumed(outcomes: string[]): Promise<number> {
    const { values } = await app.get(AppMetrics).eventsConsumed.get();
    return values
      .filter((value) => outcomes.includes(String(value.labels['outcome'])))
      .reduce((sum, v) => sum + v.value, 0);
  }

  it('earns every order once, in bulk, whatever repeats and unopened accounts the batches hold', async () => {
    // Five members; the last two have no account yet: their first order opens it.
    const members = Array.from({ length: 5 }, () => ({ memberId: newId(), userId: newId() }));
    for (const member of members.slice(0, 3)) {
      await env.dataSource.query('INSERT INTO point_account (member_id, user_id) VALUES (?, ?)', [
        member.memberId,
        member.userId,
      ]);
    }
    const orders = Array.from({ length: 60 }, (_, index) => {
      const member = members[index % members.length] as (typeof members)[number];
      return { member, orderId: newId(), amount: `${10 + index}.99` };
    });
    const envelopes = orders.map(({ member, orderId, amount }) =>
      envelopeOf('member.order-credited.v1', {
        orderId,
        ...member,
        amount,
        levelBefore: 1,
        levelAfter: 1,
        completedAt: new Date().toISOString(),
      }),
    );
    // Every tenth order again with the same event id, every seventh under a new event id.
    const repeats = envelopes.filter((_, index) => index % 10 === 0);
    const republished = envelopes
      .filter((_, index) => index % 7 === 0)
      .map((envelope) => envelopeOf('member.order-credited.v1', envelope.payload));
    const settledBefore = await consumed(['handled', 'duplicate']);

    await Promise.all(
      [...envelopes, ...repeats, ...republished].map((envelope) =>
        publishEvent(env.amqp, envelope),
      ),
    );
    await waitFor(
      async () =>
        (await consumed(['handled', 'duplicate'])) - settledBefore ===
        envelopes.length + repeats.length + republished.length,
      { timeoutMs: 30_000, what: 'every delivery settled' },
    );

    for (const member of members) {
      const expected = orders
        .filter((order) => order.member === member)
        .reduce((sum, order) => sum + Math.floor(Number(order.amount)), 0);
      const [account] = await env.dataSource.query<
        Array<{ available: string; lifetime_earned: string; lots: string; earns: string }>
      >(
        `SELECT available, lifetime_earned,
                (SELECT SUM(remaining) FROM point_lot l WHERE l.member_id = a.member_id) AS lots,
                (SELECT COUNT(*) FROM point_transaction t WHERE t.member_id = a.member_id AND t.type = 'earn') AS earns
           FROM point_account a WHERE member_id = ?`,
        [member.memberId],
      );
      expect(account).toEqual({
        available: String(expected),
        lifetime_earned: String(expected),
        lots: String(expected),
        earns: '12',
      });
    }
    const [earned] = await env.dataSource.query<Array<{ orders: string; keys: string }>>(
      `SELECT (SELECT COUNT(*) FROM point_order_earn WHERE order_id IN (?)) AS orders,
              (SELECT COUNT(*) FROM point_operation WHERE kind = 'earn:order' AND natural_key IN (?)
                  AND transaction_id IS NOT NULL) AS \`keys\``,
      [orders.map((order) => order.orderId), orders.map((order) => order.orderId)],
    );
    expect(earned).toEqual({ orders: '60', keys: '60' });
    const events = await env.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM outbox_message WHERE event_type = \'points.earned.v1\' AND envelope LIKE \'%"source":"order"%\'',
    );
    expect(Number(events[0]?.n)).toBe(60);
    expect(await app.get(CommandBus).execute(new ReconcilePointsCommand())).toMatchObject({
      drifted: 0,
    });
  });
});
