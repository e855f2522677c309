// Nothing lost when a RabbitMQ node goes: member-service and point-service (their real consumers
// and outbox relays) on a three-node cluster of the spec's own, the node holding point-service's
// event queue stopped in the middle of a stream of orders and started again. Every order must be
// earned exactly once and counted once in the member's total, with nothing parked.
import { randomUUID } from 'node:crypto';
import type { RowDataPacket } from 'mysql2/promise';
import { EVENT_QUEUES, UNROUTED_QUEUE } from '@member-system/contracts';
import { dropDatabase } from '@member-system/shared/database';
import type {
  FleetApp,
  RabbitmqCluster,
  RabbitmqClusterNode,
  RunningApp,
} from '@member-system/shared/testing';
import {
  deleteRedisKeys,
  freePort,
  migrateApp,
  newTestRunId,
  startApp,
  startRabbitmqCluster,
  stopApp,
  testInfra,
  waitFor,
} from '@member-system/shared/testing';
import { nextUserId } from '../support/api';
import { publishPlatformEvent } from '../support/events';
import { queryRunSchema, schemaOf } from '../support/fleet';

const APPS = ['member-service', 'point-service'] as const satisfies readonly FleetApp[];
const MEMBERS = 4;
const ORDERS_PER_BURST = 15;

// Booting three nodes and two apps on a busy two-core machine takes a while; every wait below is
// bounded by its own timeout, so a stuck step fails with its name rather than Jest's.
jest.setTimeout(240_000);

const runId = newTestRunId();
let cluster: RabbitmqCluster | undefined;
let apps: RunningApp[] = [];
let nextOrderId = BigInt(Date.now()) * 1000n;

interface Order {
  orderId: string;
  userId: string;
  amountCents: number;
}

function query(app: FleetApp, sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  return queryRunSchema(runId, app, sql, params);
}

/**
 * Publishes through the first running node that confirms, as a platform producer that knows every
 * node would: a node that is down refuses the connection and the next one is tried.
 */
async function publish(
  type: string,
  payload: Record<string, unknown>,
  eventId = randomUUID(),
): Promise<void> {
  const running = (cluster as RabbitmqCluster).nodes.filter((node) =>
    (cluster as RabbitmqCluster).isRunning(node),
  );
  let lastError: unknown;
  for (const node of running) {
    try {
      await publishPlatformEvent(type, payload, { amqpUrl: node.url, eventId });
      return;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function publishOrders(userIds: readonly string[], count: number): Promise<Order[]> {
  const orders: Order[] = [];
  for (let i = 0; i < count; i += 1) {
    nextOrderId += 1n;
    const order = {
      orderId: nextOrderId.toString(),
      userId: userIds[i % userIds.length] as string,
      amountCents: 100 + ((i * 137) % 2400),
    };
    await publish('order.completed.v1', {
      orderId: order.orderId,
      userId: order.userId,
      amount: (order.amountCents / 100).toFixed(2),
      currency: 'CNY',
      completedAt: new Date().toISOString(),
    });
    orders.push(order);
  }
  return orders;
}

/** `orderId -> earn rows` for every order point-service credited. */
async function earnRows(): Promise<Map<string, { points: number }[]>> {
  const rows = await query(
    'point-service',
    `SELECT source_id AS orderId, points FROM point_transaction WHERE type = 'earn' AND source = 'order'`,
  );
  const byOrder = new Map<string, { points: number }[]>();
  for (const row of rows) {
    const orderId = String(row['orderId']);
    byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), { points: Number(row['points']) }]);
  }
  return byOrder;
}

beforeAll(async () => {
  cluster = await startRabbitmqCluster();
  const shared = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    RABBITMQ_URL: cluster.url,
    RPC_TIMEOUT_MS: '3000',
    OUTBOX_POLL_MS: '50',
    EVENT_RETRY_DELAYS_MS: '200,500,1000',
    EVENT_MAX_ATTEMPTS: '3',
  };
  const envOf = (app: FleetApp): Record<string, string> => ({
    ...shared,
    MYSQL_DATABASE: schemaOf(runId, app),
    REDIS_PREFIX: `ms:${runId}:${app}:`,
  });
  // Migrating declares the queues while all three nodes are up: a quorum queue gets its replicas
  // on the nodes running when it is declared.
  for (const app of APPS) await migrateApp(app, envOf(app));
  for (const app of APPS) apps.push(await startApp(app, envOf(app), await freePort()));
});

afterAll(async () => {
  await Promise.all(apps.map((app) => stopApp(app)));
  apps = [];
  await cluster?.stop();
  for (const app of APPS) {
    await dropDatabase({ ...testInfra.mysql, database: schemaOf(runId, app) });
  }
  await deleteRedisKeys(`ms:${runId}:`);
});

describe('a three-node RabbitMQ cluster', () => {
  it('earns every order exactly once while the node holding point.events stops and comes back', async () => {
    const live = cluster as RabbitmqCluster;
    const userIds = Array.from({ length: MEMBERS }, () => nextUserId());
    for (const userId of userIds) await publish('user.registered.v1', { userId });
    // Each account opens from member.registered.v1, which member-service's outbox relay publishes.
    await waitFor(
      async () => {
        const [row] = await query('point-service', 'SELECT COUNT(*) AS n FROM point_account');
        return Number(row?.['n']) === MEMBERS;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the members’ points accounts to open' },
    );

    const orders = await publishOrders(userIds, ORDERS_PER_BURST);
    const holder = await live.nodeOfQueue(EVENT_QUEUES.point);
    expect(holder).toBeDefined();
    await live.stopNode(holder as RabbitmqClusterNode);
    orders.push(...(await publishOrders(userIds, ORDERS_PER_BURST)));
    await live.startNode(holder as RabbitmqClusterNode);
    orders.push(...(await publishOrders(userIds, ORDERS_PER_BURST)));

    await waitFor(
      async () => {
        const rows = await earnRows();
        const missing = orders.filter((order) => !rows.has(order.orderId)).length;
        // Thrown, so a timeout says how many never arrived.
        if (missing > 0) throw new Error(`${missing} of ${orders.length} orders not credited`);
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'every order to be credited' },
    );
    // A redelivery after the node came back may still be on its way (to be dropped by the inbox):
    // wait until no queue holds work, then count.
    await waitFor(
      async () =>
        (await live.queues()).every(
          (queue) =>
            queue.name.endsWith('.parking') ||
            queue.name === UNROUTED_QUEUE ||
            queue.messages + queue.unacked === 0,
        ),
      { timeoutMs: 30_000, intervalMs: 250, what: 'the queues to drain' },
    );
    const earned = await earnRows();
    expect([...earned.keys()].sort()).toEqual(orders.map((order) => order.orderId).sort());
    expect(
      orders.filter((order) => {
        const rows = earned.get(order.orderId) ?? [];
        return rows.length !== 1 || rows[0]?.points !== Math.floor(order.amountCents / 100);
      }),
    ).toEqual([]);

    const spent = await query(
      'member-service',
      'SELECT user_id AS userId, total_spent_cents AS cents FROM member',
    );
    const expectedSpent = new Map(userIds.map((userId) => [userId, 0]));
    for (const order of orders)
      expectedSpent.set(order.userId, (expectedSpent.get(order.userId) ?? 0) + order.amountCents);
    expect(new Map(spent.map((row) => [String(row['userId']), Number(row['cents'])]))).toEqual(
      expectedSpent,
    );

    const unpublished = await Promise.all(
      APPS.map(
        async (app) =>
          (
            await query(app, 'SELECT COUNT(*) AS n FROM outbox_message WHERE published_at IS NULL')
          )[0]?.['n'],
      ),
    );
    expect(unpublished.map(Number)).toEqual([0, 0]);
    expect(
      (await live.queues())
        .filter((queue) => queue.name.endsWith('.parking') && queue.messages > 0)
        .map((queue) => queue.name),
    ).toEqual([]);
  });
});
