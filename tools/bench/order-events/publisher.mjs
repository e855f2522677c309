// Publishes order.completed.v1 onto `platform.events` as the platform's order service would
// (docs/api/contract.md "Events"), open loop: event i leaves at start + i / rate whatever happened to the others.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';

export const PLATFORM_EXCHANGE = 'platform.events';
const TYPE = 'order.completed.v1';

export async function openPlatformPublisher(url) {
  const connection = await amqp.connect(url);
  connection.on('error', () => {});
  const channel = await connection.createConfirmChannel();
  await channel.checkExchange(PLATFORM_EXCHANGE);
  return { channel, close: () => connection.close() };
}

/** One order.completed.v1 envelope. */
export function orderCompleted({ orderId, userId, amountCents, at }) {
  const eventId = randomUUID();
  return {
    eventId,
    type: TYPE,
    occurredAt: new Date(at).toISOString(),
    correlationId: `bench-${eventId}`,
    producer: 'bench',
    payload: {
      orderId,
      userId,
      amount: `${Math.floor(amountCents / 100)}.${String(amountCents % 100).padStart(2, '0')}`,
      currency: 'CNY',
      completedAt: new Date(at).toISOString(),
    },
  };
}

/**
 * Publishes `rate × seconds` events from `next(i)` (→ `{ orderId, userId, amountCents }`) on
 * schedule, persistent, and calls `sent(order, scheduledAt)` with the epoch ms each was due.
 * Resolves once the broker confirmed them all, with how late the publisher got at worst (ms).
 */
export async function publishAtRate({ channel }, { rate, seconds, next, sent, signal }) {
  const total = Math.round(rate * seconds);
  const startEpoch = Date.now();
  const start = performance.now();
  let worstLateMs = 0;
  for (let i = 0; i < total && !signal?.aborted;) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; i < due; i += 1) {
      const scheduledAt = startEpoch + (i * 1000) / rate;
      const order = next(i);
      const envelope = orderCompleted({ ...order, at: Date.now() });
      worstLateMs = Math.max(worstLateMs, Date.now() - scheduledAt);
      sent(order, scheduledAt);
      const ok = channel.publish(PLATFORM_EXCHANGE, TYPE, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        messageId: envelope.eventId,
        type: TYPE,
        contentType: 'application/json',
      });
      if (!ok) await new Promise((resolve) => channel.once('drain', resolve));
    }
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(Math.min(wait, 20));
  }
  await channel.waitForConfirms();
  return { worstLateMs: Math.round(worstLateMs) };
}
