// The measured calls (spend and balance via the gateway), the earn scenario, and checks on the point schema afterwards.
import { setTimeout as sleep } from 'node:timers/promises';
import { errorKeyOf, summarize } from './load.mjs';
import { mintToken } from '../lib/jwt.mjs';
import { POINTS_PER_CREDIT, publishCredits } from './seed.mjs';

/** A load task: spend 1 point of `pick(n)` on a new order through the gateway. */
export const spendViaGateway = (client, pick, nextOrderId) => async (n) => {
  const member = pick(n);
  const answer = await client.request({
    method: 'POST',
    path: '/api/v1/points/me/use',
    token: member.token,
    body: { points: 1, orderId: nextOrderId() },
  });
  return answer.status === 200 ? null : errorKeyOf(answer);
};

/** A load task: read the balance of `pick(n)` through the gateway. */
export const readBalance = (client, pick) => async (n) => {
  const answer = await client.request({ path: '/api/v1/points/me/balance', token: pick(n).token });
  return answer.status === 200 ? null : errorKeyOf(answer);
};

/**
 * Publishes `count` credited orders over `members` as fast as the broker confirms, then polls
 * `SUM(lifetime_earned)` until the ledger shows them all (or `timeoutMs`). The rate is end to end;
 * the latencies are each event's lag from publish to its ledger row.
 */
export async function earnScenario({
  db,
  publisher,
  members,
  count,
  nextOrderId,
  timeoutMs,
  signal,
}) {
  const total = async () =>
    Number((await db.query('SELECT SUM(lifetime_earned) AS s FROM point_account'))[0][0].s ?? 0);
  const expected = (await total()) + count * POINTS_PER_CREDIT;
  const [[{ maxId }]] = await db.query(
    'SELECT COALESCE(MAX(id), 0) AS maxId FROM point_transaction',
  );
  const credits = Array.from({ length: count }, (_, i) => ({
    member: members[i % members.length],
    orderId: nextOrderId(),
  }));
  const started = Date.now();
  const publishedAt = await publishCredits(publisher, credits);
  const confirmedMs = Math.max(1, Date.now() - started);
  const deadline = Date.now() + timeoutMs;
  while ((await total()) < expected && Date.now() < deadline && !signal?.aborted) await sleep(100);
  const seconds = (Date.now() - started) / 1000;
  // Both sessions use the server's time zone, so UNIX_TIMESTAMP gives the row's real instant.
  const [rows] = await db.query(
    "SELECT source_id AS orderId, UNIX_TIMESTAMP(created_at) * 1000 AS at FROM point_transaction WHERE type = 'earn' AND id > ?",
    [maxId],
  );
  const lags = rows
    .filter((row) => publishedAt.has(row.orderId))
    .map((row) => Number(row.at) - publishedAt.get(row.orderId));
  const missing = count - lags.length;
  return {
    ...summarize({
      latencies: lags,
      errors: missing > 0 ? { 'not in ledger': missing } : {},
      seconds,
    }),
    publishedPerSecond: Math.round(count / (confirmedMs / 1000)),
  };
}

/**
 * Sends `batches` admin batch earns of `items` items each, one after another, round-robin over
 * `members`. req/s is items per second; the percentiles are each whole call's time.
 */
export async function batchEarnScenario({ client, members, batches, items, runTag }) {
  const token = mintToken({
    sub: '1',
    roles: ['admin'],
    perms: ['points:adjust'],
    ttlSeconds: 3600,
  });
  const latencies = [];
  const errors = {};
  const started = performance.now();
  for (let batch = 0; batch < batches; batch += 1) {
    const body = {
      items: Array.from({ length: items }, (_, i) => ({
        memberId: members[i % members.length].memberId,
        points: 1,
        source: 'campaign',
        sourceId: `bench-${runTag}-${batch}-${i}`,
      })),
    };
    const since = performance.now();
    const answer = await client.request(
      { method: 'POST', path: '/api/v1/admin/points/earn-batch', token, body },
      120_000,
    );
    if (answer.status === 200 && answer.json?.credited === items) {
      latencies.push(performance.now() - since);
    } else {
      const key = answer.status === 200 ? 'not all credited' : errorKeyOf(answer);
      errors[key] = (errors[key] ?? 0) + 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = summarize({ latencies, errors, seconds });
  return { ...summary, perSecond: Math.round((summary.ok * items) / seconds) };
}

/** Outbox rows of point-service the relay has not published yet. */
export async function unpublishedOutboxRows(db) {
  const [[{ n }]] = await db.query(
    'SELECT COUNT(*) AS n FROM outbox_message WHERE published_at IS NULL',
  );
  return Number(n);
}

/** Whether the run left a consistent ledger: each account's `available` equals what its lots hold. */
export async function ledgerNote(db) {
  const [[{ skewed }]] = await db.query(`
    SELECT COUNT(*) AS skewed FROM point_account a
      LEFT JOIN (SELECT member_id, SUM(remaining) AS r FROM point_lot GROUP BY member_id) l
        ON l.member_id = a.member_id
     WHERE a.available <> COALESCE(l.r, 0)`);
  return Number(skewed) === 0
    ? 'Ledger consistent after the run: every account’s `available` equals the remaining of its lots.'
    : `${skewed} account(s) whose \`available\` differs from the remaining of their lots.`;
}
