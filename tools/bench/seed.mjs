// Members through the gateway, points through member.order-credited.v1 events on the bench's vhost.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import { mintToken } from '../lib/jwt.mjs';
import { errorKeyOf } from './load.mjs';

export const EVENTS_EXCHANGE = 'member-system.events';
const CREDITED = 'member.order-credited.v1';
/** What one credited order of 5000.00 earns at level 1 (1 point per yuan, multiplier 1.0). */
export const POINTS_PER_CREDIT = 5000;

/** Runs `work(item)` over `items` with at most `limit` at once. */
export async function eachLimited(items, limit, work) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Registers one member per user id via POST /api/v1/members; resolves with `{ userId, memberId, token }`. */
export async function registerMembers(client, userIds, concurrency) {
  const members = [];
  await eachLimited(userIds, concurrency, async (userId) => {
    const token = mintToken({ sub: userId, roles: ['member'], ttlSeconds: 3600 });
    for (let attempt = 1; ; attempt += 1) {
      const body = { nickname: `bench ${userId}` };
      const answer = await client.request({ method: 'POST', path: '/api/v1/members', token, body });
      if (answer.status === 201 || answer.status === 200) {
        members.push({ userId: String(userId), memberId: String(answer.json.id), token });
        return;
      }
      if (attempt === 5) throw new Error(`register ${userId}: ${errorKeyOf(answer)}`);
      await sleep(200 * attempt);
    }
  });
  return members;
}

/** A confirm channel on the bench's vhost, for publishing the way a platform service would. */
export async function openPublisher(url) {
  const connection = await amqp.connect(url);
  connection.on('error', () => {});
  const channel = await connection.createConfirmChannel();
  await channel.checkExchange(EVENTS_EXCHANGE);
  return { channel, close: () => connection.close() };
}

/** The envelope of one credited order of 5000.00 (level 1 before and after). */
function creditedEnvelope(member, orderId) {
  const eventId = randomUUID();
  const now = new Date().toISOString();
  return {
    eventId,
    type: CREDITED,
    occurredAt: now,
    correlationId: `bench-${eventId}`,
    producer: 'bench',
    payload: {
      orderId,
      memberId: member.memberId,
      userId: member.userId,
      amount: '5000.00',
      levelBefore: 1,
      levelAfter: 1,
      completedAt: now,
    },
  };
}

/**
 * Publishes one credited order per entry of `credits` (`{ member, orderId }`), persistent, waiting
 * for the broker's confirms every `window` messages. Resolves with the publish time of each order id.
 */
export async function publishCredits({ channel }, credits, window = 250) {
  const publishedAt = new Map();
  for (let i = 0; i < credits.length; i += window) {
    for (const { member, orderId } of credits.slice(i, i + window)) {
      const envelope = creditedEnvelope(member, orderId);
      publishedAt.set(orderId, Date.now());
      channel.publish(EVENTS_EXCHANGE, CREDITED, Buffer.from(JSON.stringify(envelope)), {
        persistent: true,
        messageId: envelope.eventId,
        type: CREDITED,
        contentType: 'application/json',
      });
    }
    await channel.waitForConfirms();
  }
  return publishedAt;
}

/** Polls GET /api/v1/points/me/balance until each member's lifetimeEarned reaches `expected(member)`. */
export async function waitForBalances(client, members, expected, { timeoutMs, concurrency }) {
  const deadline = Date.now() + timeoutMs;
  let pending = members;
  while (pending.length > 0) {
    const still = [];
    await eachLimited(pending, concurrency, async (member) => {
      const answer = await client.request({
        path: '/api/v1/points/me/balance',
        token: member.token,
      });
      if (answer.status !== 200 || answer.json.lifetimeEarned < expected(member))
        still.push(member);
    });
    pending = still;
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${pending.length} member(s) still without their points after ${timeoutMs} ms`,
      );
    }
    await sleep(250);
  }
}
