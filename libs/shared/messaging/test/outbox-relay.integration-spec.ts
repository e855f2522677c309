import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { ChannelWrapper } from 'amqp-connection-manager';
import { EVENTS_EXCHANGE, UNROUTED_QUEUE } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, testLogger, waitFor } from '@member-system/shared/testing';
import { ConfirmPublisher, OutboxRelay, OutboxWriter, connectAmqp, declareExchanges } from '../src';
import { messagingTestDatabase } from './messaging-test-kit';

interface OutboxRow {
  event_id: string;
  published_at: Date | null;
  attempts: number;
  last_error: string | null;
}

describe(OutboxRelay.name, () => {
  let env: IntegrationEnv;
  const writer = new OutboxWriter('test-service');
  const logger = testLogger();

  beforeAll(async () => {
    env = await openIntegrationEnv(messagingTestDatabase);
  });

  afterAll(async () => {
    await env.close();
  });

  beforeEach(async () => {
    await env.dataSource.query('DELETE FROM outbox_message');
  });

  /** A queue bound to one event type, collecting what reaches it. */
  async function sink(
    queue: string,
    routingKey: string,
    amqp = env.amqp,
  ): Promise<{ received: ConsumeMessage[]; channel: ChannelWrapper }> {
    const received: ConsumeMessage[] = [];
    const channel = amqp.createChannel({
      setup: async (raw: ConfirmChannel) => {
        await declareExchanges(raw);
        await raw.assertQueue(queue, { durable: true });
        await raw.bindQueue(queue, EVENTS_EXCHANGE, routingKey);
        await raw.consume(queue, (message) => {
          if (message) {
            received.push(message);
            raw.ack(message);
          }
        });
      },
    });
    await channel.waitForConnect();
    return { received, channel };
  }

  async function registerMembers(count: number, dataSource = env.dataSource): Promise<string[]> {
    return withTransaction(dataSource, async (manager) => {
      const ids: string[] = [];
      for (let index = 1; index <= count; index += 1) {
        ids.push(
          await writer.add(manager, 'member.registered.v1', {
            memberId: String(index),
            userId: String(1000 + index),
            levelId: 1,
            registeredAt: new Date().toISOString(),
          }),
        );
      }
      return ids;
    });
  }

  async function outboxRows(): Promise<OutboxRow[]> {
    return env.dataSource.query(
      'SELECT event_id, published_at, attempts, last_error FROM outbox_message ORDER BY id',
    );
  }

  it('keeps events while the broker is unreachable and publishes them, in order, once it is back', async () => {
    const eventIds = await registerMembers(3);
    const unreachable = connectAmqp('amqp://guest:guest@127.0.0.1:1', 'unreachable');
    const offline = new OutboxRelay(
      env.dataSource,
      new ConfirmPublisher(unreachable, logger, 300),
      logger,
      {
        lockName: `${env.schema}.relay`,
        pollMs: 50,
        batchSize: 100,
      },
    );

    await expect(offline.runOnce()).rejects.toThrow(/not confirmed/);
    await offline.stop();
    await unreachable.close();

    const pending = await outboxRows();
    expect(pending.map((row) => row.published_at)).toEqual([null, null, null]);
    expect(pending.every((row) => row.attempts === 1 && row.last_error !== null)).toBe(true);

    const { received, channel } = await sink('test.registered', 'member.registered.v1');
    const metrics = new AppMetrics('test');
    const sut = new OutboxRelay(
      env.dataSource,
      new ConfirmPublisher(env.amqp, logger),
      logger,
      {
        lockName: `${env.schema}.relay`,
        pollMs: 50,
        batchSize: 100,
      },
      metrics,
    );

    await expect(sut.runOnce()).resolves.toBe(3);
    await sut.stop();

    await waitFor(() => received.length === 3, { what: 'three events at the sink' });
    await channel.close();
    expect(received.map((message) => message.properties.messageId)).toEqual(eventIds);
    expect(received.every((message) => message.properties.deliveryMode === 2)).toBe(true);
    const first = JSON.parse(received[0]?.content.toString() ?? '{}') as {
      type: string;
      producer: string;
      payload: unknown;
    };
    expect(first).toMatchObject({
      type: 'member.registered.v1',
      producer: 'test-service',
      payload: { memberId: '1', userId: '1001' },
    });
    expect((await outboxRows()).every((row) => row.published_at !== null)).toBe(true);
    expect((await metrics.outboxUnpublished.get()).values[0]?.value).toBe(0);
  });

  it('lets one relay at a time publish: the others wait for the lock', async () => {
    await registerMembers(2);
    const options = { lockName: `${env.schema}.leader`, pollMs: 50, batchSize: 100 };
    const leader = new OutboxRelay(
      env.dataSource,
      new ConfirmPublisher(env.amqp, logger),
      logger,
      options,
    );
    const follower = new OutboxRelay(
      env.dataSource,
      new ConfirmPublisher(env.amqp, logger),
      logger,
      options,
    );

    await expect(leader.runOnce()).resolves.toBe(2);
    await registerMembers(1);
    await expect(follower.runOnce()).resolves.toBe(0);

    await leader.stop();
    await expect(follower.runOnce()).resolves.toBe(1);
    await follower.stop();
  });

  it('notices within a second that its lock connection is gone, and leaves publishing to the new leader', async () => {
    const options = { lockName: `${env.schema}.lost-lock`, pollMs: 50, batchSize: 100 };
    const relay = () =>
      new OutboxRelay(env.dataSource, new ConfirmPublisher(env.amqp, logger), logger, options);
    const leader = relay();
    const follower = relay();
    await registerMembers(1);
    await expect(leader.runOnce()).resolves.toBe(1);
    const [holder] = await env.dataSource.query<Array<{ id: string }>>(
      'SELECT IS_USED_LOCK(?) AS id',
      [options.lockName],
    );
    await env.dataSource.query(`KILL CONNECTION ${Number(holder?.id)}`);

    await registerMembers(1);
    await expect(follower.runOnce()).resolves.toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // The next round checks the lock again, on the dead connection: it fails and lets go.
    await expect(leader.runOnce()).rejects.toThrow();
    await leader.stop();
    await registerMembers(1);
    await expect(leader.runOnce()).resolves.toBe(0);
    await expect(follower.runOnce()).resolves.toBe(1);
    await follower.stop();
  });

  it('publishes as soon as a transaction that wrote events commits, without waiting for the next poll', async () => {
    const sut = new OutboxRelay(env.dataSource, new ConfirmPublisher(env.amqp, logger), logger, {
      lockName: `${env.schema}.commit-wake`,
      // Far beyond the wait below: only the commit can start the round that publishes.
      pollMs: 600_000,
      batchSize: 100,
    });
    sut.start();
    try {
      // Let the first round (an empty outbox) finish, so the relay is in its long pause.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [eventId] = await registerMembers(1);

      await waitFor(async () => (await outboxRows())[0]?.published_at !== null, {
        what: 'the committed event to be published',
        timeoutMs: 5_000,
      });
      expect((await outboxRows()).map((row) => row.event_id)).toEqual([eventId]);
    } finally {
      await sut.stop();
    }
  });

  it("on a multi-statement pool, marks a round with the next round's read, and the last round before it pauses", async () => {
    const multi = await openIntegrationEnv({ ...messagingTestDatabase, multipleStatements: true });
    const queue = `${multi.schema}.marks`;
    const { received, channel } = await sink(queue, 'member.registered.v1', multi.amqp);
    const eventIds = await registerMembers(12, multi.dataSource);
    const sent: string[] = [];
    const query = multi.dataSource.query.bind(multi.dataSource);
    const spy = jest.spyOn(multi.dataSource, 'query').mockImplementation(((
      sql: string,
      params?: unknown[],
    ) => {
      if (/published_at = CURRENT_TIMESTAMP|published_at IS NULL ORDER BY/.test(sql)) {
        sent.push(
          [/^\s*UPDATE/.test(sql) ? 'mark' : '', /SELECT id, event_id/.test(sql) ? 'read' : '']
            .filter(Boolean)
            .join('+'),
        );
      }
      return query(sql, params);
    }) as never);
    const sut = new OutboxRelay(
      multi.dataSource,
      new ConfirmPublisher(multi.amqp, logger),
      logger,
      {
        lockName: `${multi.schema}.marks`,
        // Only full batches lead to another round: no poll during the test.
        pollMs: 600_000,
        batchSize: 5,
      },
    );
    try {
      sut.start();
      await waitFor(
        async () => {
          const [row] = await query<Array<{ n: string }>>(
            'SELECT COUNT(*) AS n FROM outbox_message WHERE published_at IS NULL',
          );
          return Number(row?.n) === 0;
        },
        { what: 'every event marked published', timeoutMs: 5_000 },
      );
      await waitFor(() => received.length >= 12, { what: 'all 12 events', timeoutMs: 5_000 });

      // Two full batches, each marked by the read that follows it; the last marked on its own.
      expect(sent).toEqual(['read', 'mark+read', 'mark+read', 'mark']);
      expect(received.map((message) => message.properties.messageId)).toEqual(eventIds);
    } finally {
      spy.mockRestore();
      await sut.stop();
      await channel.close();
      await multi.close();
    }
  });

  it('keeps an event no queue is bound for in the unrouted queue instead of dropping it', async () => {
    const [eventId] = await withTransaction(env.dataSource, async (manager) => [
      await writer.add(manager, 'campaign.completed.v1', {
        campaignId: '1',
        participationId: '2',
        memberId: '3',
        userId: '4',
      }),
    ]);
    const metrics = new AppMetrics('test-service');
    const depth = async (): Promise<number[]> =>
      (await metrics.unroutedQueueMessages.get()).values.map((value) => value.value);
    const sut = new OutboxRelay(
      env.dataSource,
      new ConfirmPublisher(env.amqp, logger),
      logger,
      { lockName: `${env.schema}.unrouted`, pollMs: 50, batchSize: 100 },
      metrics,
    );

    sut.start();
    await waitFor(async () => (await outboxRows()).every((row) => row.published_at !== null), {
      what: 'the event published',
    });
    // Scraped while the relay runs: the queue holds the event (and whatever earlier tests left).
    expect((await depth())[0]).toBeGreaterThanOrEqual(1);
    await sut.stop();
    expect(await depth()).toEqual([]);

    const channel = env.amqp.createChannel();
    await channel.waitForConnect();
    const kept = await waitFor(
      async () => {
        let found: string | undefined;
        await channel.addSetup(async (raw: ConfirmChannel) => {
          const message = await raw.get(UNROUTED_QUEUE);
          if (message) {
            found = String(message.properties.messageId);
            raw.ack(message);
          }
        });
        return found;
      },
      { what: 'the unrouted event' },
    );
    await channel.close();
    expect(kept).toBe(eventId);
  });
});
