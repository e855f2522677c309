import { randomUUID } from 'node:crypto';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import type { DataSource } from 'typeorm';
import {
  EVENTS_EXCHANGE,
  PLATFORM_EXCHANGE,
  UNROUTED_EXCHANGE,
  exchangeOf,
} from '@member-system/contracts';
import type { EventEnvelope, EventPayload, EventType } from '@member-system/contracts';

export function envelopeOf<T extends EventType>(
  type: T,
  payload: EventPayload<T>,
  eventId: string = randomUUID(),
): EventEnvelope<EventPayload<T>, T> {
  return {
    eventId,
    type,
    occurredAt: new Date().toISOString(),
    correlationId: `test-${eventId}`,
    producer: 'test',
    payload,
  };
}

/** Publishes an envelope the way a platform service or the relay would: persistent, confirmed. */
export async function publishEvent(
  amqp: AmqpConnectionManager,
  envelope: EventEnvelope<unknown, EventType>,
): Promise<void> {
  const channel = amqp.createChannel({
    confirm: true,
    setup: async (raw: ConfirmChannel) => {
      await raw.assertExchange(UNROUTED_EXCHANGE, 'fanout', { durable: true });
      for (const exchange of [EVENTS_EXCHANGE, PLATFORM_EXCHANGE]) {
        await raw.assertExchange(exchange, 'topic', {
          durable: true,
          alternateExchange: UNROUTED_EXCHANGE,
        });
      }
    },
  });
  try {
    await channel.waitForConnect();
    await channel.publish(
      exchangeOf(envelope.type),
      envelope.type,
      Buffer.from(JSON.stringify(envelope)),
      {
        persistent: true,
        messageId: envelope.eventId,
        type: envelope.type,
      },
    );
  } finally {
    await channel.close();
  }
}

/** The payloads a service's outbox holds of one event type, oldest first (published or not). */
export async function outboxEvents<T = Record<string, unknown>>(
  env: { dataSource: DataSource },
  type: EventType,
): Promise<T[]> {
  const rows = await env.dataSource.query<Array<{ envelope: string }>>(
    'SELECT envelope FROM outbox_message WHERE event_type = ? ORDER BY id',
    [type],
  );
  return rows.map((row) => (JSON.parse(row.envelope) as { payload: T }).payload);
}

/** Messages in `queue` not yet delivered to a consumer. */
export async function undeliveredIn(amqp: AmqpConnectionManager, queue: string): Promise<number> {
  const channel = amqp.createChannel();
  try {
    await channel.waitForConnect();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await channel.close();
  }
}
