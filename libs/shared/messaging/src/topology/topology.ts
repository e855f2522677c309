import type { Channel } from 'amqplib';
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

/** Both topic exchanges, and the alternate exchange that keeps whatever no queue is bound for. */
export async function declareExchanges(channel: Channel): Promise<void> {
  await channel.assertExchange(UNROUTED_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(UNROUTED_QUEUE, { durable: true });
  await channel.bindQueue(UNROUTED_QUEUE, UNROUTED_EXCHANGE, '');
  for (const exchange of [EVENTS_EXCHANGE, PLATFORM_EXCHANGE]) {
    await channel.assertExchange(exchange, 'topic', {
      durable: true,
      alternateExchange: UNROUTED_EXCHANGE,
    });
  }
}

export interface ConsumerTopology {
  queue: string;
  types: readonly EventType[];
  retryDelaysMs: readonly number[];
}

/**
 * A service's event queue bound to the types it handles, one delay queue per retry delay (its TTL
 * dead-letters the message back to the main queue, so no retry waits behind a longer one), and a
 * parking queue for what failed every attempt.
 */
export async function declareConsumerTopology(
  channel: Channel,
  topology: ConsumerTopology,
): Promise<void> {
  await declareExchanges(channel);
  await channel.assertQueue(topology.queue, { durable: true });
  for (const type of topology.types) {
    await channel.bindQueue(topology.queue, exchangeOf(type), type);
  }
  for (const delay of new Set(topology.retryDelaysMs)) {
    await channel.assertQueue(retryQueueName(topology.queue, delay), {
      durable: true,
      arguments: {
        'x-message-ttl': delay,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': topology.queue,
      },
    });
  }
  await channel.assertQueue(parkingQueueName(topology.queue), { durable: true });
}
