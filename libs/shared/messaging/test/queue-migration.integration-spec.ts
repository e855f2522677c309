import { connect } from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import {
  EVENTS_EXCHANGE,
  PLATFORM_EXCHANGE,
  UNROUTED_EXCHANGE,
  UNROUTED_QUEUE,
  exchangeOf,
} from '@member-system/contracts';
import type { EventType } from '@member-system/contracts';
import {
  amqpUrl,
  createVhost,
  deleteVhost,
  newTestRunId,
  testLogger,
  waitFor,
} from '@member-system/shared/testing';
import {
  QueueMigrationNeededError,
  consumerQueueDeclarations,
  holdingQueueName,
  migrateQueues,
  parkingQueueName,
  retryQueueName,
  rpcQueueDeclaration,
  unroutedQueueDeclaration,
  verifyQueues,
} from '../src';
import type { QueueDeclaration } from '../src';

const QUEUE = 'test.events';
const RPC_QUEUE = 'test.rpc';
/** Long enough that what waits in the delay queue stays there for the whole test. */
const DELAY_MS = 600_000;
const TYPES: readonly EventType[] = ['order.completed.v1', 'member.registered.v1'];

const declarations: QueueDeclaration[] = [
  unroutedQueueDeclaration(),
  ...consumerQueueDeclarations({ queue: QUEUE, types: TYPES, retryDelaysMs: [DELAY_MS] }),
  rpcQueueDeclaration(RPC_QUEUE),
];

/** The topology as the previous version declared it: every queue classic. */
async function declareClassicTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(UNROUTED_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(UNROUTED_QUEUE, { durable: true });
  await channel.bindQueue(UNROUTED_QUEUE, UNROUTED_EXCHANGE, '');
  for (const exchange of [EVENTS_EXCHANGE, PLATFORM_EXCHANGE]) {
    await channel.assertExchange(exchange, 'topic', {
      durable: true,
      alternateExchange: UNROUTED_EXCHANGE,
    });
  }
  await channel.assertQueue(QUEUE, { durable: true });
  for (const type of TYPES) await channel.bindQueue(QUEUE, exchangeOf(type), type);
  await channel.assertQueue(retryQueueName(QUEUE, DELAY_MS), {
    durable: true,
    arguments: {
      'x-message-ttl': DELAY_MS,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': QUEUE,
    },
  });
  await channel.assertQueue(parkingQueueName(QUEUE), { durable: true });
  await channel.assertQueue(RPC_QUEUE, { durable: true });
}

function typeOf(index: number): EventType {
  return TYPES[index % TYPES.length] as EventType;
}

/** Sends messages numbered `prefix-0…` the way a publisher would, confirmed; returns their ids. */
async function send(
  channel: ConfirmChannel,
  prefix: string,
  count: number,
  target: (index: number) => { exchange: string; routingKey: string },
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
  ids.forEach((id, index) => {
    const { exchange, routingKey } = target(index);
    channel.publish(exchange, routingKey, Buffer.from(`{"eventId":"${id}"}`), {
      messageId: id,
      persistent: true,
    });
  });
  await channel.waitForConfirms();
  return ids;
}

/** A platform service that keeps publishing events of the types the queue is bound to. */
function keepPublishing(channel: ConfirmChannel): {
  published: () => number;
  stop: () => Promise<string[]>;
} {
  const ids: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      ids.push(
        ...(await send(channel, `live-${ids.length}`, 5, (index) => ({
          exchange: exchangeOf(typeOf(index)),
          routingKey: typeOf(index),
        }))),
      );
      // A steady trickle: the queues to drain afterwards stay small.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    published: () => ids.length,
    stop: async () => {
      running = false;
      await loop;
      return ids;
    },
  };
}

async function drain(channel: Channel, queue: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const message = await channel.get(queue, { noAck: true });
    if (!message) return ids.sort();
    ids.push(String(message.properties.messageId));
  }
}

/** The broker's answer to a declaration on a channel of its own (a refusal closes the channel). */
async function declarationError(
  connection: ChannelModel,
  queue: string,
  options: Parameters<Channel['assertQueue']>[1],
): Promise<number | undefined> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    await channel.assertQueue(queue, options);
    await channel.close();
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

async function checkError(connection: ChannelModel, queue: string): Promise<number | undefined> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    await channel.checkQueue(queue);
    await channel.close();
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

describe(migrateQueues.name, () => {
  const vhost = `ms_${newTestRunId()}`;
  let connection: ChannelModel;
  let channel: ConfirmChannel;

  beforeAll(async () => {
    await createVhost(vhost);
    connection = await connect(amqpUrl(vhost));
    channel = await connection.createConfirmChannel();
  });

  afterAll(async () => {
    await connection.close();
    await deleteVhost(vhost);
  });

  it('moves every classic queue to a quorum queue while a publisher keeps publishing, each message once', async () => {
    await declareClassicTopology(channel);
    const before = {
      main: await send(channel, 'main', 30, (index) => ({
        exchange: exchangeOf(typeOf(index)),
        routingKey: typeOf(index),
      })),
      retry: await send(channel, 'retry', 10, () => ({
        exchange: '',
        routingKey: retryQueueName(QUEUE, DELAY_MS),
      })),
      parking: await send(channel, 'parking', 10, () => ({
        exchange: '',
        routingKey: parkingQueueName(QUEUE),
      })),
      unrouted: await send(channel, 'unrouted', 10, () => ({
        exchange: EVENTS_EXCHANGE,
        routingKey: 'nobody.listens.v1',
      })),
      rpc: await send(channel, 'rpc', 10, () => ({ exchange: '', routingKey: RPC_QUEUE })),
    };
    const publisherConnection = await connect(amqpUrl(vhost));
    const publisher = keepPublishing(await publisherConnection.createConfirmChannel());
    const run = async (): Promise<{ moved: string[]; live: string[] }> => {
      await waitFor(() => publisher.published() >= 50, { what: 'events published before' });
      const queues = await migrateQueues(connection, declarations, testLogger());
      const after = publisher.published();
      await waitFor(() => publisher.published() >= after + 50, { what: 'events published after' });
      return { moved: queues, live: await publisher.stop() };
    };
    const { moved, live } = await run().finally(() => publisherConnection.close());

    expect(moved).toEqual(declarations.map((declaration) => declaration.queue));
    await expect(verifyQueues(connection, declarations)).resolves.toBeUndefined();
    for (const { queue } of declarations) {
      // A classic declaration of the same name is refused now: the queue is a quorum queue.
      await expect(declarationError(connection, queue, { durable: true })).resolves.toBe(406);
    }
    await expect(migrateQueues(connection, declarations, testLogger())).resolves.toEqual([]);
    // A channel that used the classic queues must not use the quorum queues of the same names.
    await channel.close();
    channel = await connection.createConfirmChannel();
    await expect(drain(channel, QUEUE)).resolves.toEqual([...before.main, ...live].sort());
    await expect(drain(channel, retryQueueName(QUEUE, DELAY_MS))).resolves.toEqual(
      before.retry.sort(),
    );
    await expect(drain(channel, parkingQueueName(QUEUE))).resolves.toEqual(before.parking.sort());
    await expect(drain(channel, UNROUTED_QUEUE)).resolves.toEqual(before.unrouted.sort());
    await expect(drain(channel, RPC_QUEUE)).resolves.toEqual(before.rpc.sort());
    for (const { queue } of declarations) {
      await expect(checkError(connection, holdingQueueName(queue))).resolves.toBe(404);
    }
  });

  it('finishes a migration that stopped after the old queue was deleted', async () => {
    const [parking] = consumerQueueDeclarations({
      queue: 'resumed.events',
      types: [],
      retryDelaysMs: [],
    });
    if (!parking) throw new Error('no parking declaration');
    await channel.assertQueue(holdingQueueName(parking.queue), {
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': 1_000_000_000 },
    });
    const held = await send(channel, 'held', 5, () => ({
      exchange: '',
      routingKey: holdingQueueName(parking.queue),
    }));

    await expect(migrateQueues(connection, [parking], testLogger())).resolves.toEqual([
      parking.queue,
    ]);

    await expect(drain(channel, parking.queue)).resolves.toEqual(held.sort());
    await expect(verifyQueues(connection, [parking])).resolves.toBeUndefined();
  });

  it('takes turns with the migration of another service running at the same time', async () => {
    const queue = 'turns.rpc';
    await channel.assertQueue(queue, { durable: true });
    const sent = await send(channel, 'turns', 5, () => ({ exchange: '', routingKey: queue }));
    const other = await connect(amqpUrl(vhost));
    try {
      const runs = await Promise.all([
        migrateQueues(connection, [rpcQueueDeclaration(queue)], testLogger()),
        migrateQueues(other, [rpcQueueDeclaration(queue)], testLogger()),
      ]);

      expect(runs.flat()).toEqual([queue]);
    } finally {
      await other.close();
    }
    const reader = await connection.createChannel();
    await expect(drain(reader, queue)).resolves.toEqual(sent.sort());
    await reader.close();
  });

  it('leaves a queue alone while the previous version still consumes it', async () => {
    const queue = 'busy.events';
    await channel.assertQueue(queue, { durable: true });
    const consumer = await connection.createChannel();
    await consumer.consume(queue, () => undefined);
    try {
      await expect(
        migrateQueues(connection, [rpcQueueDeclaration(queue)], testLogger()),
      ).rejects.toThrow('queue busy.events has 1 consumer(s), the apps of the previous version');
    } finally {
      await consumer.close();
    }
    await expect(declarationError(connection, queue, { durable: true })).resolves.toBeUndefined();
  });

  it('enqueues a message once when two bindings route it to the same queue', async () => {
    // The switch from the bundle exchange to the queue's own bindings relies on it.
    await channel.assertExchange('twice.source', 'topic', { durable: true });
    await channel.assertExchange('twice.bundle', 'fanout', { durable: true });
    await channel.bindExchange('twice.bundle', 'twice.source', 'order.completed.v1');
    await channel.assertQueue('twice.events', rpcQueueDeclaration('twice.events').options);
    await channel.bindQueue('twice.events', 'twice.bundle', '');
    await channel.bindQueue('twice.events', 'twice.source', 'order.completed.v1');

    const ids = await send(channel, 'twice', 3, () => ({
      exchange: 'twice.source',
      routingKey: 'order.completed.v1',
    }));

    await expect(drain(channel, 'twice.events')).resolves.toEqual(ids.sort());
    await channel.deleteExchange('twice.bundle');
  });
});

describe(verifyQueues.name, () => {
  const vhost = `ms_${newTestRunId()}`;
  let connection: ChannelModel;

  beforeAll(async () => {
    await createVhost(vhost);
    connection = await connect(amqpUrl(vhost));
  });

  afterAll(async () => {
    await connection.close();
    await deleteVhost(vhost);
  });

  it('refuses a classic queue, naming it and the migration to run', async () => {
    const channel = await connection.createChannel();
    await channel.assertQueue(RPC_QUEUE, { durable: true });
    await channel.close();

    const verified = verifyQueues(connection, [rpcQueueDeclaration(RPC_QUEUE)]);

    await expect(verified).rejects.toThrow(QueueMigrationNeededError);
    await expect(verified).rejects.toThrow(
      /RabbitMQ queue test\.rpc exists with other arguments .* run the queue migration: `npm run migrate`/,
    );
  });

  it('accepts queues that are missing or declared alike', async () => {
    const channel = await connection.createChannel();
    await channel.assertQueue('alike.rpc', rpcQueueDeclaration('alike.rpc').options);
    await channel.close();

    await expect(
      verifyQueues(connection, [rpcQueueDeclaration('alike.rpc'), rpcQueueDeclaration('none.rpc')]),
    ).resolves.toBeUndefined();
  });
});
