// The event side of the load: `order.completed.v1` published to `platform.events` the way the
// platform's order service does (persistent, messageId = eventId, type = routing key, publisher
// confirms), re-sent with the same eventId until the broker confirms it. A few orders are sent a
// second time on purpose (same eventId, or a new eventId for the same order) to exercise dedup.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';

export const PLATFORM_EXCHANGE = 'platform.events';
const TYPE = 'order.completed.v1';
/** Members stay below Silver (1000.00 spent), so every order earns floor(amount) points at 1.0x. */
export const SPEND_CAP_CENTS = 99_000;

/** Order ids are decimal strings (the contract requires it); the private schemas hold only this run. */
export const orderIdOf = (seq) => String(1_000_000_000 + seq);

export function envelopeOf(order, eventId = order.eventId) {
  return {
    eventId,
    type: TYPE,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    producer: 'order-service',
    payload: {
      orderId: order.orderId,
      userId: order.userId,
      amount: (order.amountCents / 100).toFixed(2),
      currency: 'CNY',
      completedAt: order.completedAt,
    },
  };
}

/**
 * One confirm channel that reconnects on demand; `publish` rejects when not confirmed in time.
 * Each connection goes to the next of `urls` (the nodes of a cluster), so after a node stops the
 * next attempt reaches a survivor.
 */
function confirmPublisher(urls) {
  let opening;
  let attempts = 0;
  const open = async () => {
    const url = urls[attempts % urls.length];
    attempts += 1;
    const connection = await amqp.connect(url, { timeout: 2000 });
    connection.on('error', () => {});
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => {});
    const reset = () => {
      opening = undefined;
    };
    connection.on('close', reset);
    channel.on('close', () => {
      reset();
      connection.close().catch(() => {});
    });
    return { connection, channel };
  };
  return {
    async publish(envelope, timeoutMs = 5000) {
      opening ??= open().catch((error) => {
        opening = undefined;
        throw error;
      });
      const { channel } = await opening;
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no confirm in time')), timeoutMs);
        try {
          channel.publish(
            PLATFORM_EXCHANGE,
            envelope.type,
            Buffer.from(JSON.stringify(envelope)),
            {
              persistent: true,
              messageId: envelope.eventId,
              type: envelope.type,
              contentType: 'application/json',
            },
            (error) => {
              clearTimeout(timer);
              if (error) reject(error instanceof Error ? error : new Error('nacked'));
              else resolve();
            },
          );
        } catch (error) {
          clearTimeout(timer);
          reject(error);
        }
      });
    },
    async close() {
      const current = opening;
      opening = undefined;
      if (current) await (await current.catch(() => undefined))?.connection.close().catch(() => {});
    },
  };
}

/**
 * Publishes about `rate` orders a second, through one of `urls`, until `signal` aborts. `orders` holds `{ seq, orderId,
 * eventId, userId, memberId, amountCents, firstAttemptAt, confirmedAt, attempts, copies }`
 * (times in ms since `t0`); `flush(deadline)` keeps re-sending unconfirmed ones until then.
 */
export function createOrderStream({ urls, members, rate, t0 }) {
  const publisher = confirmPublisher(urls);
  const orders = [];
  const spent = new Map(members.map((member) => [member.userId, 0]));
  const inFlight = new Set();
  let stopAt = Infinity;

  async function send(order, eventId) {
    for (;;) {
      order.attempts += 1;
      try {
        await publisher.publish(envelopeOf(order, eventId));
        return true;
      } catch {
        if (Date.now() >= stopAt) return false;
        await sleep(500);
      }
    }
  }

  async function deliver(order) {
    order.firstAttemptAt = Date.now() - t0;
    if (!(await send(order))) return;
    order.confirmedAt = Date.now() - t0;
    const roll = Math.random();
    if (roll < 0.03) {
      // The same message again, as after a lost confirm: the inbox must drop it.
      order.copies.push(order.eventId);
      await send(order);
    } else if (roll < 0.05) {
      // The order re-announced under a new eventId: the natural key (orderId) must drop it.
      const eventId = randomUUID();
      order.copies.push(eventId);
      await send(order, eventId);
    }
  }

  function next() {
    const amountCents = 100 + Math.floor(Math.random() * 2400);
    const candidates = members.filter(
      (member) => spent.get(member.userId) + amountCents <= SPEND_CAP_CENTS,
    );
    if (candidates.length === 0) return undefined;
    const member = candidates[Math.floor(Math.random() * candidates.length)];
    spent.set(member.userId, spent.get(member.userId) + amountCents);
    const seq = orders.length + 1;
    const order = {
      seq,
      orderId: orderIdOf(seq),
      eventId: randomUUID(),
      userId: member.userId,
      memberId: member.memberId,
      amountCents,
      completedAt: new Date().toISOString(),
      firstAttemptAt: undefined,
      confirmedAt: undefined,
      attempts: 0,
      copies: [],
    };
    orders.push(order);
    return order;
  }

  return {
    orders,
    async run(signal) {
      const interval = 1000 / rate;
      let due = Date.now();
      while (!signal.aborted) {
        const order = next();
        if (!order) break;
        const work = deliver(order).finally(() => inFlight.delete(work));
        inFlight.add(work);
        due += interval;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
      }
    },
    /** Keeps re-sending what is unconfirmed until `deadline` (epoch ms), then closes the connection. */
    async flush(deadline) {
      stopAt = deadline;
      await Promise.all([...inFlight]);
      await publisher.close();
    },
  };
}
