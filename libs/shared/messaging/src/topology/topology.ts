import type { Channel, Options } from 'amqplib';
import {
  EVENTS_EXCHANGE,
  PLATFORM_EXCHANGE,
  UNROUTED_EXCHANGE,
  UNROUTED_QUEUE,
  exchangeOf,
} from '@member-system/contracts';
import type { EventType } from '@member-system/contracts';

export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`;
}

export function parkingQueueName(queue: string): string {
  return `${queue}.parking`;
}

/**
 * Every durable queue is a quorum queue: on a RabbitMQ cluster it is replicated on three nodes,
 * where a classic queue lives on one (RabbitMQ 4 removed classic mirroring). Quorum queues refuse
 * exclusive and auto-delete queues, message priorities and a channel-wide (global) prefetch; none
 * is used here. A queue's arguments are fixed when it is created: changing one below makes the
 * broker refuse the next declaration (406 PRECONDITION_FAILED). The queue migration
 * (`migrateQueues`, run by every service's `migrate`) moves classic queues only: it deletes the
 * old queue "if empty", which a quorum queue does not support. Change a quorum queue's settings
 * with a RabbitMQ policy (delivery-limit, dead-letter-*), or extend the migration first.
 */
const QUORUM = { 'x-queue-type': 'quorum' } as const;

/**
 * How often a service's event queue may hand out a message that comes back unacked before the
 * broker parks it. The consumer itself never requeues a message it could handle: a failure goes to
 * a delay queue and, after EVENT_MAX_ATTEMPTS, to parking, each as a new message. A message comes
 * back only when its consumer's channel closed under it (a crash, a broker node going away) or a
 * failed event could not be moved on; twenty times is a message that kills its consumer.
 * RabbitMQ 4 applies 20 to a quorum queue that sets nothing and drops the message at the limit;
 * here the limit is explicit on 3.10 and 4.x alike, and the message goes to the parking queue.
 */
export const EVENT_DELIVERY_LIMIT = 20;

/**
 * A request that came back unacked this often has taken its service down with it each time; its
 * caller gave up long ago (every request expires with RPC_TIMEOUT_MS), so the broker drops it
 * rather than let it crash the next replica. Nothing durable is lost: the caller got a 503 and
 * retries with its idempotency key. Explicit so that 3.10 (no limit by default) and 4.x (20)
 * behave alike.
 */
export const RPC_DELIVERY_LIMIT = 5;

/**
 * The parking and unrouted queues are read by people: `npm run parking -- list` and the management
 * UI's "Get messages" return each message they show, which counts as a delivery. RabbitMQ 4's
 * default limit of 20 would drop a parked event after its twentieth listing, and 3.x reads
 * x-delivery-limit -1 ("no limit" on 4.x) as 0. A limit nobody reaches is the portable "never".
 */
export const KEPT_DELIVERY_LIMIT = 1_000_000_000;

/**
 * Dead-lettering out of a quorum queue is at-most-once unless the queue asks for at-least-once,
 * which needs `reject-publish` overflow (no length limit is set, so nothing is ever refused): the
 * broker then keeps a dead-lettered message until its target queue confirmed it.
 */
function deadLetterTo(queue: string): Record<string, unknown> {
  return {
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queue,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

/** A queue as this version declares it: its arguments and its bindings to exchanges. */
export interface QueueDeclaration {
  queue: string;
  options: Options.AssertQueue;
  bindings: ReadonlyArray<{ exchange: string; routingKey: string }>;
}

export function unroutedQueueDeclaration(): QueueDeclaration {
  return {
    queue: UNROUTED_QUEUE,
    options: {
      durable: true,
      arguments: { ...QUORUM, 'x-delivery-limit': KEPT_DELIVERY_LIMIT },
    },
    bindings: [{ exchange: UNROUTED_EXCHANGE, routingKey: '' }],
  };
}

/** The options of a service's RPC queue: the server and every client must declare it alike. */
export function rpcQueueOptions(): Options.AssertQueue {
  return { durable: true, arguments: { ...QUORUM, 'x-delivery-limit': RPC_DELIVERY_LIMIT } };
}

export function rpcQueueDeclaration(queue: string): QueueDeclaration {
  return { queue, options: rpcQueueOptions(), bindings: [] };
}

export interface ConsumerTopology {
  queue: string;
  types: readonly EventType[];
  retryDelaysMs: readonly number[];
}

/**
 * A service's event queues, in the order the queue migration moves them: the delay queues first
 * (each dead-letters into the event queue, which must not be missing while a classic one still
 * does, at most once), then parking, then the event queue.
 */
export function consumerQueueDeclarations(topology: ConsumerTopology): QueueDeclaration[] {
  const parking = parkingQueueName(topology.queue);
  return [
    // Nothing consumes a delay queue, so no delivery limit applies; each message leaves by its
    // TTL, at least once, back to the event queue.
    ...[...new Set(topology.retryDelaysMs)].map((delay) => ({
      queue: retryQueueName(topology.queue, delay),
      options: {
        durable: true,
        arguments: { ...QUORUM, 'x-message-ttl': delay, ...deadLetterTo(topology.queue) },
      },
      bindings: [],
    })),
    {
      queue: parking,
      options: { durable: true, arguments: { ...QUORUM, 'x-delivery-limit': KEPT_DELIVERY_LIMIT } },
      bindings: [],
    },
    {
      queue: topology.queue,
      options: {
        durable: true,
        arguments: {
          ...QUORUM,
          'x-delivery-limit': EVENT_DELIVERY_LIMIT,
          ...deadLetterTo(parking),
        },
      },
      bindings: topology.types.map((type) => ({ exchange: exchangeOf(type), routingKey: type })),
    },
  ];
}

/**
 * The declaration of a queue this version finds with other arguments (a classic queue of an
 * earlier version) fails with 406 and closes the channel; this names the queue and the way out
 * instead of leaving the broker's terse reply in a loop of reconnections.
 */
export class QueueMigrationNeededError extends Error {
  constructor(
    readonly queue: string,
    brokerReply: string,
  ) {
    super(
      `RabbitMQ queue ${queue} exists with other arguments than this version declares (a classic ` +
        `queue from an earlier version, before quorum queues). Stop the services and run the ` +
        `queue migration: \`npm run migrate\`, or the chart's migration hook (helm upgrade); see ` +
        `docs/operations.md, "Upgrade". RabbitMQ said: ${brokerReply}`,
    );
    this.name = 'QueueMigrationNeededError';
  }
}

export function isPreconditionFailed(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 406;
}

/** Declares the queue and its bindings; a queue declared otherwise before gets a clear error. */
export async function declareQueue(channel: Channel, declaration: QueueDeclaration): Promise<void> {
  try {
    await channel.assertQueue(declaration.queue, declaration.options);
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
    throw new QueueMigrationNeededError(
      declaration.queue,
      error instanceof Error ? error.message : String(error),
    );
  }
  for (const binding of declaration.bindings) {
    await channel.bindQueue(declaration.queue, binding.exchange, binding.routingKey);
  }
}

/** Both topic exchanges, and the alternate exchange that keeps whatever no queue is bound for. */
export async function declareExchanges(channel: Channel): Promise<void> {
  await channel.assertExchange(UNROUTED_EXCHANGE, 'fanout', { durable: true });
  await declareQueue(channel, unroutedQueueDeclaration());
  for (const exchange of [EVENTS_EXCHANGE, PLATFORM_EXCHANGE]) {
    await channel.assertExchange(exchange, 'topic', {
      durable: true,
      alternateExchange: UNROUTED_EXCHANGE,
    });
  }
}

/**
 * A service's event queue bound to the types it handles, one delay queue per retry delay (its TTL
 * dead-letters the message back to the main queue, so no retry waits behind a longer one), and a
 * parking queue for what failed every attempt (or came back unacked EVENT_DELIVERY_LIMIT times).
 */
export async function declareConsumerTopology(
  channel: Channel,
  topology: ConsumerTopology,
): Promise<void> {
  await declareExchanges(channel);
  for (const declaration of consumerQueueDeclarations(topology)) {
    await declareQueue(channel, declaration);
  }
}
