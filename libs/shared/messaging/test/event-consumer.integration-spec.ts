import type { ConfirmChannel, GetMessage } from 'amqplib';
import type { EntityManager } from 'typeorm';
import { PLATFORM_EXCHANGE } from '@member-system/contracts';
import { AppMetrics } from '@member-system/shared/observability';
import type { IntegrationEnv } from '@member-system/shared/testing';
import {
  envelopeOf,
  openIntegrationEnv,
  publishEvent,
  testLogger,
  undeliveredIn,
  waitFor,
} from '@member-system/shared/testing';
import {
  ATTEMPT_HEADER,
  EVENT_DELIVERY_LIMIT,
  EventConsumer,
  PARK_REASON_HEADER,
  declareConsumerTopology,
  listParked,
  parkingQueueName,
  replayParked,
} from '../src';
import type { ParkedMessage } from '../src';
import { messagingTestDatabase, publishRaw } from './messaging-test-kit';

describe(EventConsumer.name, () => {
  let env: IntegrationEnv;
  let metrics: AppMetrics;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    env = await openIntegrationEnv(messagingTestDatabase);
  });

  beforeEach(() => {
    metrics = new AppMetrics('test');
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  });

  afterAll(async () => {
    await env.close();
  });

  function consumerFor(queue: string, batching = { prefetch: 8, batchSize: 4 }): EventConsumer {
    const sut = new EventConsumer(
      env.amqp,
      env.dataSource,
      testLogger(),
      {
        consumerName: `test-${queue}`,
        queue,
        ...batching,
        maxAttempts: 3,
        retryDelaysMs: [50, 100],
      },
      metrics,
    );
    consumers.push(sut);
    return sut;
  }

  async function outcomes(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const value of (await metrics.eventsConsumed.get()).values) {
      const outcome = String(value.labels['outcome']);
      counts[outcome] = (counts[outcome] ?? 0) + value.value;
    }
    return counts;
  }

  async function handledCount(subject: string): Promise<number> {
    const [row] = await env.dataSource.query<Array<{ n: string }>>(
      'SELECT COUNT(*) AS n FROM handled_event WHERE subject = ?',
      [subject],
    );
    return Number(row?.n);
  }

  async function parked(queue: string): Promise<GetMessage[]> {
    const channel = env.amqp.createChannel();
    await channel.waitForConnect();
    const messages: GetMessage[] = [];
    await channel.addSetup(async (raw: ConfirmChannel) => {
      for (
        let message = await raw.get(parkingQueueName(queue));
        message;
        message = await raw.get(parkingQueueName(queue))
      ) {
        messages.push(message);
        raw.ack(message);
      }
    });
    await channel.close();
    return messages;
  }

  it('handles an event delivered three times, concurrently, exactly once', async () => {
    const sut = consumerFor('test.dedupe').on(
      'user.registered.v1',
      async (payload, { manager, envelope }) => {
        await manager.query('INSERT INTO handled_event (event_id, subject) VALUES (?, ?)', [
          envelope.eventId,
          payload.userId,
        ]);
      },
    );
    await sut.start();
    const event = envelopeOf('user.registered.v1', { userId: '1001' });

    await Promise.all([1, 2, 3].map(() => publishEvent(env.amqp, event)));

    await waitFor(
      async () =>
        ((await outcomes())['handled'] ?? 0) + ((await outcomes())['duplicate'] ?? 0) === 3,
      {
        what: 'three deliveries',
      },
    );
    expect(await outcomes()).toEqual({ handled: 1, duplicate: 2 });
    expect(await handledCount('1001')).toBe(1);
    const inbox = await env.dataSource.query<unknown[]>(
      'SELECT consumer FROM inbox_message WHERE message_id = ?',
      [event.eventId],
    );
    expect(inbox).toHaveLength(1);
  });

  /**
   * One transaction at a time (prefetch = batch size): review 0 holds it until `release`, while
   * reviews 1 to 7 are delivered and wait. Resolves once all eight are in the consumer's hands.
   */
  async function queueBehindAHeldEvent(
    queue: string,
    handle: (reviewId: string, manager: EntityManager, eventId: string) => Promise<void>,
    followersOf: (first: ReturnType<typeof review>) => Array<ReturnType<typeof review>> = () =>
      [1, 2, 3, 4, 5, 6, 7].map(review),
  ): Promise<{ release: () => void; managers: Map<string, EntityManager> }> {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let heldEntered = false;
    const managers = new Map<string, EntityManager>();
    const sut = consumerFor(queue, { prefetch: 8, batchSize: 8 }).on(
      'review.approved.v1',
      async (payload, { manager, envelope }) => {
        managers.set(payload.reviewId, manager);
        if (payload.reviewId === '0') {
          heldEntered = true;
          await held;
        }
        await handle(payload.reviewId, manager, envelope.eventId);
      },
    );
    await sut.start();
    const first = review(0);
    await publishEvent(env.amqp, first);
    await waitFor(() => heldEntered, { what: 'review 0 to be in its handler' });
    for (const follower of followersOf(first)) await publishEvent(env.amqp, follower);
    await waitFor(async () => (await undeliveredIn(env.amqp, queue)) === 0, {
      what: 'the reviews behind review 0 to be delivered',
    });
    return { release, managers };
  }

  function review(id: number) {
    return envelopeOf('review.approved.v1', { reviewId: String(id), userId: '7' });
  }

  async function handledPerSubject(prefix: string): Promise<Record<string, number>> {
    const rows = await env.dataSource.query<Array<{ subject: string; n: string }>>(
      'SELECT subject, COUNT(*) AS n FROM handled_event WHERE subject LIKE ? GROUP BY subject',
      [`${prefix}%`],
    );
    return Object.fromEntries(rows.map((row) => [row.subject, Number(row.n)]));
  }

  it('handles the events that waited while its transaction was busy together, in one transaction and in order', async () => {
    const order: string[] = [];
    const { release, managers } = await queueBehindAHeldEvent(
      'test.batch',
      async (reviewId, manager, eventId) => {
        order.push(reviewId);
        await manager.query('INSERT INTO handled_event (event_id, subject) VALUES (?, ?)', [
          eventId,
          `batch-${reviewId}`,
        ]);
      },
    );

    release();

    await waitFor(async () => ((await outcomes())['handled'] ?? 0) === 8, {
      what: 'the eight reviews',
    });
    expect(order).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    // Review 0 alone, then the seven that waited in one transaction.
    expect(new Set(managers.values()).size).toBe(2);
    expect(managers.get('1')).toBe(managers.get('7'));
    const batches = (await metrics.eventBatchSize.get()).values;
    expect(batches.find((value) => value.metricName === 'ms_event_batch_size_sum')?.value).toBe(7);
    expect(await handledPerSubject('batch-')).toEqual(
      Object.fromEntries(['0', '1', '2', '3', '4', '5', '6', '7'].map((id) => [`batch-${id}`, 1])),
    );
  });

  it('gives a batch handler the events of its type that follow each other, in one call each, in order with the others', async () => {
    const calls: string[][] = [];
    const managers = new Set<EntityManager>();
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sut = consumerFor('test.batch-handler', { prefetch: 8, batchSize: 8 })
      .onBatch('review.approved.v1', async (events, { manager }) => {
        const ids = events.map((event) => event.payload.reviewId);
        calls.push(ids);
        managers.add(manager);
        if (ids[0] === '0') await held;
        await manager.query(
          `INSERT INTO handled_event (event_id, subject) VALUES ${events.map(() => '(?, ?)').join(', ')}`,
          events.flatMap((event) => [event.envelope.eventId, `run-${event.payload.reviewId}`]),
        );
      })
      .on('order.cancelled.v1', async (payload, { manager, envelope }) => {
        calls.push([`cancel-${payload.orderId}`]);
        managers.add(manager);
        await manager.query('INSERT INTO handled_event (event_id, subject) VALUES (?, ?)', [
          envelope.eventId,
          `run-cancel-${payload.orderId}`,
        ]);
      });
    await sut.start();
    await publishEvent(env.amqp, review(0));
    await waitFor(() => calls.length === 1, { what: 'review 0 in its handler' });
    for (const envelope of [
      review(1),
      review(2),
      review(3),
      envelopeOf('order.cancelled.v1', { orderId: '9', userId: '7' }),
      review(4),
      review(5),
    ]) {
      await publishEvent(env.amqp, envelope);
    }
    await waitFor(async () => (await undeliveredIn(env.amqp, 'test.batch-handler')) === 0, {
      what: 'the events behind review 0 to be delivered',
    });

    release();

    await waitFor(async () => ((await outcomes())['handled'] ?? 0) === 7, {
      what: 'the seven events',
    });
    expect(calls).toEqual([['0'], ['1', '2', '3'], ['cancel-9'], ['4', '5']]);
    // Review 0 alone, then the six that waited in one transaction.
    expect(managers.size).toBe(2);
    expect(Object.keys(await handledPerSubject('run-')).sort()).toEqual(
      ['run-0', 'run-1', 'run-2', 'run-3', 'run-4', 'run-5', 'run-cancel-9'].sort(),
    );
  });

  it('handles a batch that holds repeats one at a time: each event once, each repeat acked as a duplicate', async () => {
    const calls: string[] = [];
    const { release } = await queueBehindAHeldEvent(
      'test.batch-repeat',
      async (reviewId, manager, eventId) => {
        calls.push(reviewId);
        await manager.query('INSERT INTO handled_event (event_id, subject) VALUES (?, ?)', [
          eventId,
          `repeat-batch-${reviewId}`,
        ]);
      },
      // Waiting behind review 0: reviews 1 to 5, a repeat of review 2 and one of review 0.
      (first) => {
        const others = [1, 2, 3, 4, 5].map(review);
        return [...others.slice(0, 3), others[1] as typeof first, first, ...others.slice(3)];
      },
    );

    release();

    // All eight deliveries settled: the repeats come before reviews 4 and 5, handled one at a time.
    await waitFor(
      async () => {
        const { handled = 0, duplicate = 0 } = await outcomes();
        return handled + duplicate >= 8;
      },
      { what: 'the eight deliveries' },
    );
    expect(await outcomes()).toEqual({ handled: 6, duplicate: 2 });
    // The batch's claim found the repeats before any handler ran.
    expect(calls.sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(await handledPerSubject('repeat-batch-')).toEqual(
      Object.fromEntries(['0', '1', '2', '3', '4', '5'].map((id) => [`repeat-batch-${id}`, 1])),
    );
    const batches = (await metrics.eventBatchSize.get()).values;
    expect(batches.find((value) => value.metricName === 'ms_event_batch_size_sum')?.value).toBe(7);
  });

  it('rolls back a batch in which one event fails, then handles the others once and retries and parks the failing one alone', async () => {
    let poisonCalls = 0;
    const { release } = await queueBehindAHeldEvent(
      'test.batch-poison',
      async (reviewId, manager, eventId) => {
        await manager.query('INSERT INTO handled_event (event_id, subject) VALUES (?, ?)', [
          eventId,
          `poison-batch-${reviewId}`,
        ]);
        if (reviewId === '4') {
          poisonCalls += 1;
          throw new Error('review 4 cannot be handled');
        }
      },
    );

    release();

    await waitFor(async () => ((await outcomes())['parked'] ?? 0) === 1, {
      what: 'review 4 to be parked',
    });
    expect(await outcomes()).toEqual({ handled: 7, retried: 2, parked: 1 });
    // Once in the batch that was rolled back, then three attempts of its own.
    expect(poisonCalls).toBe(4);
    expect(await handledPerSubject('poison-batch-')).toEqual(
      Object.fromEntries(
        ['0', '1', '2', '3', '5', '6', '7'].map((id) => [`poison-batch-${id}`, 1]),
      ),
    );
    const [message, ...others] = await parked('test.batch-poison');
    expect(others).toHaveLength(0);
    expect(String(message?.properties.headers?.[PARK_REASON_HEADER])).toContain(
      'review 4 cannot be handled',
    );
  });

  it('retries a failing handler, parks the message after the last attempt, and keeps handling the messages behind it', async () => {
    let poisonCalls = 0;
    const sut = consumerFor('test.poison').on(
      'review.approved.v1',
      async (payload, { manager, envelope }) => {
        if (payload.reviewId === '666') {
          poisonCalls += 1;
          throw new Error('review 666 cannot be handled');
        }
        await manager.query('INSERT INTO handled_event (event_id, subject) VALUES (?, ?)', [
          envelope.eventId,
          'review',
        ]);
      },
    );
    await sut.start();

    const poison = envelopeOf('review.approved.v1', { reviewId: '666', userId: '7' });
    await publishEvent(env.amqp, poison);
    for (let index = 1; index <= 5; index += 1) {
      await publishEvent(
        env.amqp,
        envelopeOf('review.approved.v1', { reviewId: String(index), userId: '7' }),
      );
    }

    await waitFor(async () => (await handledCount('review')) === 5, {
      what: 'the five good reviews',
    });
    await waitFor(async () => ((await outcomes())['parked'] ?? 0) === 1, {
      what: 'the poison message to be parked',
    });
    // Three attempts; an attempt that met the good reviews in a batch ran once more, alone.
    expect(poisonCalls).toBeGreaterThanOrEqual(3);
    const [message, ...others] = await parked('test.poison');
    expect(others).toHaveLength(0);
    expect(message?.properties.messageId).toBe(poison.eventId);
    expect(message?.properties.headers?.[ATTEMPT_HEADER]).toBe(3);
    expect(String(message?.properties.headers?.[PARK_REASON_HEADER])).toContain(
      'review 666 cannot be handled',
    );
    expect(JSON.parse(message?.content.toString() ?? '{}')).toEqual(poison);
  });

  it('reports the depth of its parking queue to Prometheus on every scrape', async () => {
    const sut = consumerFor('test.parking-depth').on('review.approved.v1', () =>
      Promise.reject(new Error('reviews cannot be handled')),
    );
    await sut.start();
    const depth = async (): Promise<string> =>
      (await metrics.registry.metrics())
        .split('\n')
        .filter((line) => line.startsWith('ms_parking_queue_messages{'))
        .join('\n');
    expect(await depth()).toBe(
      'ms_parking_queue_messages{queue="test.parking-depth.parking",service="test"} 0',
    );

    for (const reviewId of ['1', '2']) {
      await publishEvent(env.amqp, envelopeOf('review.approved.v1', { reviewId, userId: '7' }));
    }
    await waitFor(async () => ((await outcomes())['parked'] ?? 0) === 2, {
      what: 'both messages to be parked',
    });

    expect(await depth()).toBe(
      'ms_parking_queue_messages{queue="test.parking-depth.parking",service="test"} 2',
    );
    await sut.stop();
    expect(await depth()).toBe('');
  });

  it('rolls back the writes of a failed attempt, so the retry that succeeds leaves one effect', async () => {
    let attempts = 0;
    const sut = consumerFor('test.rollback').on(
      'order.cancelled.v1',
      async (payload, { manager, envelope }) => {
        attempts += 1;
        await manager.query('INSERT INTO handled_event (event_id, subject) VALUES (?, ?)', [
          envelope.eventId,
          payload.orderId,
        ]);
        if (attempts === 1) throw new Error('first attempt fails after writing');
      },
    );
    await sut.start();

    await publishEvent(
      env.amqp,
      envelopeOf('order.cancelled.v1', { orderId: '5001', userId: '8' }),
    );

    await waitFor(async () => ((await outcomes())['handled'] ?? 0) === 1, {
      what: 'the retry to succeed',
    });
    expect(attempts).toBe(2);
    expect(await handledCount('5001')).toBe(1);
  });

  it('parks a message that is not JSON, or whose payload is invalid, without calling the handler', async () => {
    let calls = 0;
    const sut = consumerFor('test.invalid').on('order.refund-rejected.v1', async () => {
      calls += 1;
      await Promise.resolve();
    });
    await sut.start();

    await publishRaw(env.amqp, PLATFORM_EXCHANGE, 'order.refund-rejected.v1', '{not json');
    await publishEvent(
      env.amqp,
      envelopeOf('order.refund-rejected.v1', { orderId: 'a b', userId: '9', refundId: '1' }),
    );

    await waitFor(async () => ((await outcomes())['invalid'] ?? 0) === 2, {
      what: 'both messages to be parked',
    });
    const messages = await parked('test.invalid');
    expect(messages).toHaveLength(2);
    expect(
      messages.map((message) => String(message.properties.headers?.[PARK_REASON_HEADER])).sort(),
    ).toEqual(['body is not JSON', expect.stringContaining('orderId')]);
    expect(calls).toBe(0);
  });
});

describe('parking', () => {
  let env: IntegrationEnv;

  beforeAll(async () => {
    env = await openIntegrationEnv(messagingTestDatabase);
  });

  afterAll(async () => {
    await env.close();
  });

  it('lists parked messages without removing them, and replays them once the cause is fixed', async () => {
    let fixed = false;
    const handled: string[] = [];
    const metrics = new AppMetrics('test');
    const consumer = new EventConsumer(
      env.amqp,
      env.dataSource,
      testLogger(),
      {
        consumerName: 'test-replay',
        queue: 'test.replay',
        prefetch: 4,
        batchSize: 4,
        maxAttempts: 1,
        retryDelaysMs: [50],
      },
      metrics,
    ).on('order.refund-requested.v1', async (payload) => {
      if (!fixed) throw new Error('refunds are switched off');
      handled.push(payload.refundId);
      await Promise.resolve();
    });
    await consumer.start();
    const event = envelopeOf('order.refund-requested.v1', {
      orderId: '1',
      userId: '2',
      refundId: '3',
      amount: '10.00',
    });
    await publishEvent(env.amqp, event);
    await waitFor(
      async () =>
        (await metrics.eventsConsumed.get()).values.some(
          (value) => value.labels['outcome'] === 'parked',
        ),
      {
        what: 'the event to be parked',
      },
    );

    const channel = env.amqp.createChannel({ confirm: true });
    await channel.waitForConnect();
    let listed: ParkedMessage[] = [];
    let listedAgain: ParkedMessage[] = [];
    await channel.addSetup(async (raw: ConfirmChannel) => {
      listed = await listParked(raw, 'test.replay');
      listedAgain = await listParked(raw, 'test.replay');
    });
    expect(listed).toEqual([
      expect.objectContaining({
        messageId: event.eventId,
        attempts: 1,
        reason: 'refunds are switched off',
      }),
    ]);
    expect(listedAgain).toHaveLength(1);

    fixed = true;
    let replayed = 0;
    await channel.addSetup(async (raw: ConfirmChannel) => {
      replayed = await replayParked(raw, 'test.replay');
    });
    await channel.close();

    expect(replayed).toBe(1);
    await waitFor(() => handled.length === 1, { what: 'the replayed event' });
    expect(handled).toEqual(['3']);
    await consumer.stop();
  });

  it('parks an event its queue handed out EVENT_DELIVERY_LIMIT times without an ack, says why, and replays it through its retries', async () => {
    const queue = 'test.poison';
    const event = envelopeOf('order.refund-requested.v1', {
      orderId: '1',
      userId: '2',
      refundId: '4',
      amount: '10.00',
    });
    const channel = env.amqp.createChannel({
      confirm: true,
      setup: (raw: ConfirmChannel) =>
        declareConsumerTopology(raw, {
          queue,
          types: ['order.refund-requested.v1'],
          retryDelaysMs: [50],
        }),
    });
    await channel.waitForConnect();
    await publishEvent(env.amqp, event);
    // A consumer that dies on the event every time: each delivery comes back unacked.
    let returned = 0;
    await channel.addSetup(async (raw: ConfirmChannel) => {
      for (;;) {
        const message = await raw.get(queue, { noAck: false });
        if (!message) break;
        raw.nack(message, false, true);
        returned += 1;
      }
    });
    let listed: ParkedMessage[] = [];
    await waitFor(
      async () => {
        await channel.addSetup(async (raw: ConfirmChannel) => {
          listed = await listParked(raw, queue);
        });
        return listed.length > 0;
      },
      { what: 'the event in parking' },
    );

    expect(returned).toBe(EVENT_DELIVERY_LIMIT + 1);
    expect(listed).toEqual([
      expect.objectContaining({
        messageId: event.eventId,
        reason: expect.stringContaining(
          `test.poison handed it out ${EVENT_DELIVERY_LIMIT} times without an ack`,
        ) as unknown,
      }),
    ]);

    // Replayed, it fails once more and comes back from its delay queue: RabbitMQ would drop it
    // there if it still carried the record of its dead-lettering out of test.poison.
    let failures = 0;
    const handled: string[] = [];
    const sut = new EventConsumer(env.amqp, env.dataSource, testLogger(), {
      consumerName: 'test-poison',
      queue,
      prefetch: 4,
      batchSize: 1,
      maxAttempts: 3,
      retryDelaysMs: [50],
    }).on('order.refund-requested.v1', async (payload) => {
      failures += 1;
      if (failures === 1) throw new Error('not yet');
      handled.push(payload.refundId);
      await Promise.resolve();
    });
    await sut.start();
    await channel.addSetup(async (raw: ConfirmChannel) => {
      await replayParked(raw, queue);
    });
    await channel.close();

    await waitFor(() => handled.length === 1, { what: 'the replayed event, after one retry' });
    expect(handled).toEqual(['4']);
    await sut.stop();
  });
});
