// What each scenario of `npm run bench` sends, and which baseline it is compared with.
// Load tasks run inside the generator's worker thread (load-worker.mjs); each gets its call number
// `n` and its own connection, and resolves with null (success), an error key, or STOP.
import { STOP } from './load.mjs';
import { errorKey, requestText } from './raw-http.mjs';

/**
 * The scenarios served from the caches. With --passes they make a fixed number of calls rather
 * than run for a fixed time: timed, a slower run makes fewer calls over the same members and so
 * meets the caches less often, which slows it further; counted, two runs meet them alike.
 */
export const CACHED_READS = Object.freeze([
  'balance',
  'transactions',
  'profile',
  'level-progress',
  'quote',
  'mixed',
]);

/** Baselines first: at each load level they run just before the scenarios compared with them. */
export const SCENARIOS = Object.freeze([
  {
    name: 'hello',
    kind: 'baseline',
    title: 'Fastify hello world (bare)',
    what: '`GET /` of a bare Fastify server in its own process: the HTTP ceiling of one Node process',
  },
  {
    name: 'noop-rpc',
    kind: 'baseline',
    title: 'gateway + no-op RPC',
    what: 'NestJS on Fastify like the gateway, one route calling a no-op pattern with RpcClient over RabbitMQ, served by the NestJS RPC server the services use (libs/shared/messaging)',
  },
  {
    name: 'raw-spend',
    kind: 'baseline',
    title: 'raw MySQL: spend statements',
    what: 'the statements of one spend of 1 point (raw-spend.mjs), on a mysql2 pool of as many connections as the load level',
  },
  {
    name: 'raw-check-in',
    kind: 'baseline',
    title: 'raw MySQL: check-in statements',
    what: 'the statements of one check-in (raw-check-in.mjs), on a mysql2 pool of as many connections as the load level',
  },
  {
    name: 'lot-spend-floor',
    kind: 'baseline',
    title: 'raw MySQL: the floor of a FIFO-lot spend',
    what: 'the rows one spend of 1 point writes (account, earliest-expiring lots, history, allocations, outbox row) in the fewest round trips a transaction can take, two (lot-spend-floor.mjs), on a mysql2 pool of as many connections as the load level (at most 64): the physical floor spend and check-in are also measured against',
  },
  {
    name: 'balance',
    kind: 'read',
    baseline: 'noop-rpc',
    title: 'balance',
    what: '`GET /api/v1/points/me/balance`, round-robin over the members',
  },
  {
    name: 'transactions',
    kind: 'read',
    baseline: 'noop-rpc',
    title: 'transaction history page',
    what: '`GET /api/v1/points/me/transactions?limit=20`',
  },
  {
    name: 'profile',
    kind: 'read',
    baseline: 'noop-rpc',
    title: 'profile',
    what: '`GET /api/v1/members/me`',
  },
  {
    name: 'level-progress',
    kind: 'read',
    baseline: 'noop-rpc',
    title: 'level progress',
    what: '`GET /api/v1/members/me/level-progress`',
  },
  {
    name: 'quote',
    kind: 'read',
    baseline: 'noop-rpc',
    title: 'discount quote',
    what: '`POST /api/v1/benefits/quote` `{orderAmount: "399.00", shippingFee: "12.00"}` (changes nothing, so no Idempotency-Key, as a checkout would call it)',
  },
  {
    name: 'spend',
    kind: 'write',
    baseline: 'raw-spend',
    floor: 'lot-spend-floor',
    title: 'spend',
    what: '`POST /api/v1/points/me/use` `{points: 1, orderId}` with a fresh Idempotency-Key and order each call, round-robin over the members',
  },
  {
    name: 'check-in',
    kind: 'write',
    baseline: 'raw-check-in',
    floor: 'lot-spend-floor',
    title: 'check-in',
    what: '`POST /api/v1/points/me/check-in` with an Idempotency-Key, each call by a member who has not checked in today (201 only; the run stops early when the fresh members run out)',
  },
  {
    name: 'mixed',
    kind: 'mixed',
    baseline: 'noop-rpc',
    title: 'mixed 80/15/5',
    what: '80 % reads (balance, history, profile, level progress, 20 % each), 15 % quotes, 5 % spends, interleaved',
  },
]);

export const scenarioByName = (name) => SCENARIOS.find((scenario) => scenario.name === name);

/** The baselines that run SQL straight on the point schema (a mysql2 pool, no HTTP). */
export const SQL_BASELINES = Object.freeze(['raw-spend', 'raw-check-in', 'lot-spend-floor']);

const READS = Object.freeze({
  balance: '/api/v1/points/me/balance',
  transactions: '/api/v1/points/me/transactions?limit=20',
  profile: '/api/v1/members/me',
  'level-progress': '/api/v1/members/me/level-progress',
});
const READ_ORDER = Object.keys(READS);
const QUOTE_BODY = Object.freeze({ orderAmount: '399.00', shippingFee: '12.00' });

/** The kind of call number `n` of the mixed workload: 16 reads, 3 quotes and 1 spend in 20. Pure. */
export function mixedKindOf(n) {
  const slot = n % 20;
  if (slot < 16) return READ_ORDER[slot % 4];
  return slot < 19 ? 'quote' : 'spend';
}

/** Resolves an HTTP answer to null when it has the expected status, else its error key. */
async function expect(connection, text, status) {
  const answer = await connection.send(text);
  return answer.status === status ? null : errorKey(answer);
}

/**
 * The HTTP task of a gateway scenario: `(n, connection) => Promise<null | errorKey | STOP>`.
 * `run` holds what must differ between runs: `tag` (unique per run, for keys and order ids),
 * `orderBase` and the check-in members handed to this run.
 */
export function gatewayTask(name, { host, members, run }) {
  const auth = (member) => ({ authorization: `Bearer ${member.token}` });
  const member = (n) => members[n % members.length];
  const read = (path) => (n, connection) =>
    expect(connection, requestText({ path, host, headers: auth(member(n)) }), 200);
  const quote = (n, connection) =>
    expect(
      connection,
      requestText({
        method: 'POST',
        path: '/api/v1/benefits/quote',
        host,
        headers: auth(member(n)),
        body: QUOTE_BODY,
      }),
      200,
    );
  // `pick` chooses the member: the mixed workload spends only every 20th call, so it spreads its
  // spends by n / 20 rather than letting them all fall on the same few members.
  const spend = (n, connection, pick = n) =>
    expect(
      connection,
      requestText({
        method: 'POST',
        path: '/api/v1/points/me/use',
        host,
        headers: { ...auth(member(pick)), 'idempotency-key': `${run.tag}-spend-${n}` },
        body: { points: 1, orderId: String(run.orderBase + n) },
      }),
      200,
    );
  if (name in READS) return read(READS[name]);
  if (name === 'quote') return quote;
  if (name === 'spend') return spend;
  if (name === 'check-in') {
    const fresh = run.checkInMembers;
    return (n, connection) => {
      if (n >= fresh.length) return Promise.resolve(STOP);
      return expect(
        connection,
        requestText({
          method: 'POST',
          path: '/api/v1/points/me/check-in',
          host,
          headers: { ...auth(fresh[n]), 'idempotency-key': `${run.tag}-check-in-${n}` },
        }),
        201,
      );
    };
  }
  if (name === 'mixed') {
    const reads = Object.fromEntries(READ_ORDER.map((kind) => [kind, read(READS[kind])]));
    return (n, connection) => {
      const kind = mixedKindOf(n);
      if (kind === 'quote') return quote(n, connection);
      if (kind === 'spend') return spend(n, connection, Math.floor(n / 20));
      return reads[kind](n, connection);
    };
  }
  throw new Error(`no gateway task for scenario ${name}`);
}

/** The task of the HTTP baselines: a GET of `path` that must answer 200. */
export function plainGetTask({ host, path }) {
  const text = requestText({ path, host });
  return (_n, connection) => expect(connection, text, 200);
}
