// Reads what the exactness checks compare: point-service's history, natural keys, lots and
// accounts, the balances the API answers, the reconciliation job's result, the queues and
// whatever sits in a parking queue (looked at and put back, never consumed).
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { mintToken } from '../lib/jwt.mjs';
import { SCHEMAS } from './fleet.mjs';

const P = SCHEMAS['point-service'];

export async function readLedger(pool, { members }) {
  const memberIds = members.map((member) => member.memberId);
  const query = async (sql, params) => (await pool.query(sql, params))[0];
  const earnRows = await query(
    `SELECT source_id AS sourceId, member_id AS memberId, points FROM ${P}.point_transaction
      WHERE type = 'earn' AND source = 'order'`,
  );
  const operations = await query(
    `SELECT natural_key AS naturalKey, transaction_id AS transactionId FROM ${P}.point_operation
      WHERE kind = 'earn:order'`,
  );
  const useRows = await query(
    `SELECT source_id AS sourceId, member_id AS memberId, points FROM ${P}.point_transaction
      WHERE type = 'use'`,
  );
  const checkIns = await query(
    `SELECT member_id AS memberId, business_date AS businessDate FROM ${P}.check_in`,
  );
  const checkInRows = await query(
    `SELECT member_id AS memberId, source_id AS sourceId FROM ${P}.point_transaction
      WHERE source = 'check-in'`,
  );
  const accounts = await query(
    `SELECT a.member_id AS memberId, a.available, a.held, a.frozen, a.debt,
            a.lifetime_earned AS lifetimeEarned,
            (SELECT COALESCE(SUM(remaining), 0) FROM ${P}.point_lot l WHERE l.member_id = a.member_id) AS lotsRemaining,
            (SELECT COALESCE(SUM(amount), 0) FROM ${P}.point_lot l WHERE l.member_id = a.member_id) AS lotsAmount,
            (SELECT COALESCE(SUM(points), 0) FROM ${P}.point_transaction t WHERE t.member_id = a.member_id) AS historySum
       FROM ${P}.point_account a WHERE a.member_id IN (?)`,
    [memberIds],
  );
  const spentRows = await query(
    `SELECT id AS memberId, total_spent_cents AS totalSpentCents, level_id AS levelId
       FROM ${SCHEMAS['member-service']}.member WHERE id IN (?)`,
    [memberIds],
  );
  return {
    spentRows,
    earnRows,
    operations,
    useRows,
    checkIns,
    checkInRows,
    accounts,
  };
}

/** The `available` balance each member reads through the gateway (cache included). */
export async function apiBalances(client, members) {
  const result = new Map();
  for (const member of members) {
    const answer = await client.request({ path: '/api/v1/points/me/balance', token: member.token });
    if (answer.status === 200) result.set(member.memberId, answer.json.available);
  }
  return result;
}

/**
 * Runs reconcile-points through the gateway as an admin with `system:write`: starts the job (202)
 * and reads it until it has finished, for at most a minute.
 */
export async function runReconciliation(client) {
  const token = mintToken({ sub: '1', roles: ['admin'], perms: ['system:write'] });
  let answer = await client.request(
    {
      method: 'POST',
      path: '/api/v1/admin/jobs/reconcile-points/run',
      token,
      body: {},
      idempotencyKey: randomUUID(),
    },
    10_000,
  );
  if (answer.status !== 202) return `${answer.status} ${answer.code ?? ''}`;
  const jobId = answer.json?.id;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = answer.json ?? {};
    if (job.status === 'succeeded') return job.result?.result ?? job.result;
    if (job.status === 'failed') return `job ${jobId} failed: ${JSON.stringify(job.error)}`;
    if (Date.now() > deadline) return `job ${jobId} still ${job.status} after 60 s`;
    await new Promise((resolve) => setTimeout(resolve, 500));
    answer = await client.request({ path: `/api/v1/admin/jobs/${jobId}`, token }, 10_000);
    if (answer.status !== 200) return `${answer.status} ${answer.code ?? ''} reading job ${jobId}`;
  }
}

/** Every message in the parking queues, read and requeued: `{ queue, type, orderId, reason }`. */
export async function peekParked(url, queueNames) {
  const parked = [];
  if (queueNames.length === 0) return parked;
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    for (const queue of queueNames) {
      const held = [];
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (!message) break;
        held.push(message);
        let body = {};
        try {
          body = JSON.parse(message.content.toString('utf8'));
        } catch {
          // reported as is
        }
        parked.push({
          queue,
          type: body.type ?? message.properties.type,
          orderId: body.payload?.orderId,
          reason: String(message.properties.headers?.['x-park-reason'] ?? 'no reason header'),
        });
      }
      for (const message of held) channel.nack(message, false, true);
    }
    await channel.close();
  } finally {
    await connection.close();
  }
  return parked;
}
