// Moves queues declared otherwise by an earlier version (classic queues) to the declarations of this one (quorum queues).
import { createHash } from 'node:crypto';
import type { Channel, ConfirmChannel, GetMessage, Options } from 'amqplib';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Logger } from 'pino';
import { waitForAmqp } from '../amqp/amqp-connection';
import { KEPT_DELIVERY_LIMIT, QueueMigrationNeededError, isPreconditionFailed } from './topology';
import type { QueueDeclaration } from './topology';

/** What the migration needs of an amqplib connection: channels it may lose to a channel error. */
export interface AmqpChannels {
  createChannel(): Promise<Channel>;
  createConfirmChannel(): Promise<ConfirmChannel>;
}

type QueueState = 'missing' | 'current' | 'outdated';

/** Holds what the queue held (and, for a bound queue, what is routed to it) while it is recreated. */
export function holdingQueueName(queue: string): string {
  return `${queue}.migrating`;
}

/** Takes the queue's bindings while it is recreated; routes nowhere, so to its alternate exchange. */
function bundleExchangeName(queue: string): string {
  return `${queue}.migrating.in`;
}

/** The bundle's alternate exchange, which keeps everything in the holding queue. */
function holdingExchangeName(queue: string): string {
  return `${queue}.migrating.hold`;
}

/**
 * An exclusive queue is the broker's mutex: a second connection declaring it is refused (405)
 * until the first one closes, crash included. Every service's migration declares the shared
 * unrouted queue, and the chart may run them side by side: they take turns.
 */
const MIGRATION_LOCK = 'member-system.queue-migration.lock';

const MOVE_BATCH = 200;
const LOCK_WAIT_MS = 5 * 60_000;
const DELETE_ATTEMPTS = 50;

/**
 * Brings every queue to its declaration. A queue that exists with other arguments (RabbitMQ
 * cannot change a queue's type or arguments in place) is moved, messages included, to a new queue
 * of the same name; a missing or current queue is left to the usual declaration. Safe while
 * publishers keep publishing, idempotent (a second run finds nothing to do), and resumable: every
 * step is recorded by the broker itself (the old queue, the holding queue, the bundle exchange),
 * so a run that stopped midway is finished by the next one. The consumers of a queue must be
 * stopped: a queue that still has some is refused, with their count. Returns the queues moved.
 *
 * How one queue moves, with publishers running:
 * 1. A holding queue, and a bundle exchange bound like the queue whose alternate exchange leads
 *    to the holding queue: from then on, every message routed to the queue is routed to the
 *    holding queue too.
 * 2. The queue's bindings are removed, its messages moved to the holding queue (a confirmed copy,
 *    then the ack), and the queue deleted once empty.
 * 3. The queue is declared anew and bound to the bundle: routing switches from the holding queue to
 *    it in one step. It gets its own bindings, then the bundle is deleted (a message routed to one
 *    queue by two paths is enqueued once).
 * 4. The holding queue's messages are moved to the new queue, and the holding queue deleted.
 * A message routed while the queue and the bundle were both bound is held twice; the move to the
 * new queue keeps its first copy (by message id, else by body). A queue without bindings (a delay,
 * parking or RPC queue) is reached by name only: only what is sent to it by name while it is
 * missing (an RPC request of a gateway still running) is not kept; its caller gets its 503.
 */
export async function migrateQueues(
  connection: AmqpChannels,
  declarations: readonly QueueDeclaration[],
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<string[]> {
  const lock = await takeLock(connection);
  try {
    const moved: string[] = [];
    for (const declaration of declarations) {
      if (await migrateQueue(connection, declaration, logger)) moved.push(declaration.queue);
    }
    return moved;
  } finally {
    // An exclusive queue lasts as long as its connection, which may outlive the migration.
    await lock.deleteQueue(MIGRATION_LOCK).catch(() => undefined);
    await lock.close().catch(() => undefined);
  }
}

/**
 * Waits for the migration lock of the vhost: the services' migrations run side by side (the
 * chart's hook Jobs, a local fleet), and each checks the shared unrouted queue. Checking finds
 * nothing to do in milliseconds; only a real move holds the lock for longer.
 */
async function takeLock(connection: AmqpChannels): Promise<Channel> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    // A refusal closes the channel: each attempt has one of its own.
    const lock = await connection.createChannel();
    lock.on('error', () => undefined);
    try {
      await lock.assertQueue(MIGRATION_LOCK, { exclusive: true, durable: false });
      return lock;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 405) throw error;
      if (Date.now() > deadline) {
        throw new Error(
          `another queue migration has held ${MIGRATION_LOCK} for ${LOCK_WAIT_MS / 1000} s; ` +
            'try again once it ended',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Throws `QueueMigrationNeededError` for the first queue declared otherwise than this version
 * declares it: an app calls it before it starts, so it refuses to run against classic queues
 * with a message naming the migration, instead of failing its channel setups over and over.
 */
export async function verifyQueues(
  connection: AmqpChannels,
  declarations: readonly QueueDeclaration[],
): Promise<void> {
  for (const declaration of declarations) {
    const { state, reply } = await queueState(connection, declaration);
    if (state === 'outdated') throw new QueueMigrationNeededError(declaration.queue, reply);
  }
}

/**
 * `verifyQueues` on an app's connection once it is up. A broker that does not answer in time is
 * left to the app's channel setups, which log the same error if a queue needs moving.
 */
export async function verifyQueuesOnceConnected(
  amqp: AmqpConnectionManager,
  declarations: readonly QueueDeclaration[],
  timeoutMs = 10_000,
): Promise<void> {
  try {
    await waitForAmqp(amqp, timeoutMs);
  } catch {
    return;
  }
  const connection = amqp.connection;
  if (connection) await verifyQueues(connection, declarations);
}

async function migrateQueue(
  connection: AmqpChannels,
  declaration: QueueDeclaration,
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<boolean> {
  const { queue, bindings } = declaration;
  const holding = holdingQueueName(queue);
  const { state, consumers } = await queueState(connection, declaration);
  const holdingExists = await exists(connection, holding);
  if (state !== 'outdated' && !holdingExists) return false;
  if (state === 'outdated' && consumers > 0) {
    throw new Error(
      `queue ${queue} has ${consumers} consumer(s), the apps of the previous version: stop them ` +
        '(scale the services to 0) and run the migration again',
    );
  }
  logger.info({ queue, state, holdingExists }, 'moving the queue to its new declaration');
  if (state === 'outdated') {
    await withChannel(connection, async (channel) => {
      await holdEverything(channel, declaration);
      for (const binding of bindings) {
        await channel.unbindQueue(queue, binding.exchange, binding.routingKey);
      }
      await emptyAndDelete(connection, channel, queue, holding);
    });
  }
  // A channel that used the old queue keeps its type for the name: on RabbitMQ 3.10 a publish
  // to the new queue through it crashes the connection (541). The new queue gets a new channel.
  const count = await withChannel(connection, async (channel) => {
    if (state !== 'current') await channel.assertQueue(queue, declaration.options);
    if (bindings.length > 0) {
      // Where the bundle still exists, binding the queue to it takes over from its alternate
      // exchange at once; then the queue's own bindings, and the bundle goes.
      await channel.assertExchange(bundleExchangeName(queue), 'fanout', {
        durable: true,
        alternateExchange: holdingExchangeName(queue),
      });
      await channel.bindQueue(queue, bundleExchangeName(queue), '');
      for (const binding of bindings) {
        await channel.bindQueue(queue, binding.exchange, binding.routingKey);
      }
      await channel.deleteExchange(bundleExchangeName(queue));
      await channel.deleteExchange(holdingExchangeName(queue));
    }
    return moveBackAndDelete(channel, holding, queue, bindings.length > 0);
  });
  logger.info({ queue, messages: count }, 'queue moved');
  return true;
}

/** Runs `work` on a confirm channel of its own, closed afterwards. */
async function withChannel<T>(
  connection: AmqpChannels,
  work: (channel: ConfirmChannel) => Promise<T>,
): Promise<T> {
  const channel = await connection.createConfirmChannel();
  // A refused operation closes the channel and rejects its promise, which ends the run.
  channel.on('error', () => undefined);
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Step 1: the holding queue, and the bundle that routes the queue's messages to it. */
async function holdEverything(channel: ConfirmChannel, declaration: QueueDeclaration) {
  const { queue, bindings } = declaration;
  const holding = holdingQueueName(queue);
  await channel.assertQueue(holding, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': KEPT_DELIVERY_LIMIT },
  });
  if (bindings.length === 0) return;
  await channel.assertExchange(holdingExchangeName(queue), 'fanout', { durable: true });
  await channel.bindQueue(holding, holdingExchangeName(queue), '');
  await channel.assertExchange(bundleExchangeName(queue), 'fanout', {
    durable: true,
    alternateExchange: holdingExchangeName(queue),
  });
  for (const binding of bindings) {
    await channel.bindExchange(bundleExchangeName(queue), binding.exchange, binding.routingKey);
  }
}

/**
 * Moves every message of the outdated queue to the holding queue, then deletes it once it is
 * empty: a message that arrived meanwhile (sent by name, by a delay queue that dead-letters into
 * it) makes the broker refuse the deletion, and the move goes on. The outdated queue is a classic
 * one, which deletes if empty; a quorum queue does not (RabbitMQ closes the connection, 540).
 */
async function emptyAndDelete(
  connection: AmqpChannels,
  channel: ConfirmChannel,
  queue: string,
  holding: string,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await move(channel, queue, holding, undefined);
    // A refused deletion closes its channel: it gets one of its own.
    const deleter = await connection.createChannel();
    deleter.on('error', () => undefined);
    try {
      await deleter.deleteQueue(queue, { ifEmpty: true });
      await deleter.close();
      return;
    } catch (error) {
      if (!isPreconditionFailed(error) || attempt >= DELETE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Moves the holding queue's messages to the new queue, keeping one copy of a message held twice,
 * and deletes it. Nothing routes to it any more, so once moved it stays empty.
 */
async function moveBackAndDelete(
  channel: ConfirmChannel,
  holding: string,
  queue: string,
  dropRepeats: boolean,
): Promise<number> {
  const moved = await move(channel, holding, queue, dropRepeats ? new Set() : undefined);
  const { messageCount } = await channel.checkQueue(holding);
  if (messageCount > 0) throw new Error(`${holding} still holds ${messageCount} message(s)`);
  await channel.deleteQueue(holding);
  return moved;
}

/**
 * Moves what `from` holds now, a batch at a time: each batch is acked once `to` confirmed it. A
 * copy the broker could not route (`to` missing) comes back, and its batch stays unacked.
 */
async function move(
  channel: ConfirmChannel,
  from: string,
  to: string,
  seen: Set<string> | undefined,
): Promise<number> {
  let returned = 0;
  const onReturn = (): void => {
    returned += 1;
  };
  channel.on('return', onReturn);
  try {
    let moved = 0;
    for (;;) {
      const batch: GetMessage[] = [];
      while (batch.length < MOVE_BATCH) {
        const message = await channel.get(from, { noAck: false });
        if (!message) break;
        batch.push(message);
      }
      const last = batch[batch.length - 1];
      if (!last) return moved;
      for (const message of batch) {
        if (seen) {
          const key = identityOf(message);
          if (seen.has(key)) continue;
          seen.add(key);
        }
        channel.sendToQueue(to, message.content, {
          ...publishOptionsOf(message),
          mandatory: true,
        });
        moved += 1;
      }
      await channel.waitForConfirms();
      if (returned > 0) throw new Error(`${to} is missing: the move from ${from} stopped`);
      channel.ack(last, true);
    }
  } finally {
    channel.off('return', onReturn);
  }
}

/** A message's copies share their properties and body; the id is the usual key. */
function identityOf(message: GetMessage): string {
  const id = message.properties.messageId as unknown;
  if (typeof id === 'string' && id !== '') return `id:${id}`;
  return `body:${createHash('sha256').update(message.content).digest('hex')}`;
}

/**
 * The message as it was published. The user id is left out: the broker checks it against the
 * connection's user, and a platform service's message would be refused.
 */
function publishOptionsOf(message: GetMessage): Options.Publish {
  const properties = { ...message.properties } as Record<string, unknown>;
  const persistent = properties['deliveryMode'] === 2;
  for (const key of ['userId', 'clusterId', 'deliveryMode']) delete properties[key];
  return { ...(properties as Options.Publish), persistent };
}

async function queueState(
  connection: AmqpChannels,
  declaration: QueueDeclaration,
): Promise<{ state: QueueState; consumers: number; reply: string }> {
  const probe = await connection.createChannel();
  probe.on('error', () => undefined);
  let consumers: number;
  try {
    ({ consumerCount: consumers } = await probe.checkQueue(declaration.queue));
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) {
      return { state: 'missing', consumers: 0, reply: '' };
    }
    throw error;
  }
  try {
    // The same declaration is accepted by a queue declared alike, refused (406) by any other.
    await probe.assertQueue(declaration.queue, declaration.options);
    await probe.close();
    return { state: 'current', consumers, reply: '' };
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    return { state: 'outdated', consumers, reply: (error as Error).message };
  }
}

async function exists(connection: AmqpChannels, queue: string): Promise<boolean> {
  const probe = await connection.createChannel();
  probe.on('error', () => undefined);
  try {
    await probe.checkQueue(queue);
    await probe.close();
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return false;
    throw error;
  }
}
