// Redis is a cache: a fleet of the spec's own on a Redis of its own, frozen (SIGSTOP, every command
// hangs) and then killed. Writes with and without Idempotency-Key keep working, keys keep their
// guarantees from the gateway's MySQL, rate limits count per gateway instance, reads answer from
// MySQL; when Redis is back everything goes on and it is used again.
import Redis from 'ioredis';
import type { RunningApp } from '@member-system/shared/testing';
import { dropDatabase } from '@member-system/shared/database';
import {
  FLEET_APPS,
  deleteVhost,
  stopApp,
  testInfra,
  waitFor,
} from '@member-system/shared/testing';
import type { ApiOptions, ApiResponse, Method } from '../support/api';
import { api, expectError, memberToken, nextUserId, token } from '../support/api';
import type { FleetInfo } from '../support/fleet';
import { schemaOf, startFleet } from '../support/fleet';
import type { PrivateRedis } from '../support/private-redis';
import { startPrivateRedis } from '../support/private-redis';

interface Balance {
  available: number;
}

const pointsAdmin = token({ sub: '52', roles: ['admin'], perms: ['points:adjust'] });

let redis: PrivateRedis | undefined;
let fleet: FleetInfo | undefined;
let apps: RunningApp[] = [];
let member: { id: string; bearer: string };
let nextOrderId = BigInt(Date.now()) * 1000n;
const keyOf = (name: string): string => `${name}-${Date.now()}-${Math.random().toString(36)}`;

function call<T = Record<string, unknown>>(
  method: Method,
  path: string,
  options: ApiOptions = {},
): Promise<ApiResponse<T>> {
  return api<T>(method, path, { ...options, baseUrl: (fleet as FleetInfo).gatewayUrl });
}

function spend(points: number, key?: string, orderId?: string): Promise<ApiResponse> {
  nextOrderId += 1n;
  return call('POST', '/api/v1/points/me/use', {
    token: member.bearer,
    body: { points, orderId: orderId ?? nextOrderId.toString() },
    headers: key ? { 'Idempotency-Key': key } : {},
  });
}

function adjust(points: number, key?: string): Promise<ApiResponse> {
  return call('POST', `/api/v1/admin/members/${member.id}/points/adjust`, {
    token: pointsAdmin,
    body: { points, reasonCode: 'COMPENSATION' },
    headers: key ? { 'Idempotency-Key': key } : {},
  });
}

async function available(bearer = member.bearer): Promise<number> {
  const balance = await call<Balance>('GET', '/api/v1/points/me/balance', { token: bearer });
  if (balance.status !== 200)
    throw new Error(`balance answered ${balance.status}: ${balance.text}`);
  return balance.body.available;
}

async function newMember(): Promise<{ id: string; bearer: string }> {
  const bearer = memberToken(nextUserId());
  const registered = await call<{ id: string }>('POST', '/api/v1/members', {
    token: bearer,
    body: {},
  });
  if (registered.status !== 201) throw new Error(`registration answered ${registered.status}`);
  await waitFor(
    async () => (await call('GET', '/api/v1/points/me/balance', { token: bearer })).status === 200,
    { timeoutMs: 15_000, intervalMs: 100, what: 'the points account to open' },
  );
  return { id: registered.body.id, bearer };
}

/** The answer of a replay: the first one's status and body, marked as replayed. */
function expectReplayOf(replay: ApiResponse, first: ApiResponse): void {
  expect(replay.status).toBe(first.status);
  expect(replay.body).toEqual(first.body);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
}

/** The Redis keys of the spec's fleet matching a pattern, read from its own Redis. */
async function redisKeys(pattern: string): Promise<string[]> {
  const client = new Redis({ ...(redis as PrivateRedis), lazyConnect: true });
  try {
    await client.connect();
    return await client.keys(`ms:${(fleet as FleetInfo).runId}:${pattern}`);
  } finally {
    client.disconnect();
  }
}

let spentBefore: ApiResponse;
let spendKeyBefore: string;
let spendOrderBefore: string;

beforeAll(async () => {
  redis = await startPrivateRedis();
  const started = await startFleet({
    env: { REDIS_HOST: redis.host, REDIS_PORT: String(redis.port) },
  });
  fleet = started.info;
  apps = started.apps;
  member = await newMember();
  expect((await adjust(500)).status).toBe(200);
  spendKeyBefore = keyOf('before');
  nextOrderId += 1n;
  spendOrderBefore = nextOrderId.toString();
  spentBefore = await spend(10, spendKeyBefore, spendOrderBefore);
  expect(spentBefore.status).toBe(200);
  // The answer is cached in Redis too: the replays below come from MySQL only if Redis is away.
  expect(await redisKeys('gateway:idem:*')).not.toHaveLength(0);
});

afterAll(async () => {
  redis?.thaw();
  await Promise.all(apps.map((app) => stopApp(app)));
  if (fleet) {
    for (const app of FLEET_APPS) {
      await dropDatabase({ ...testInfra.mysql, database: schemaOf(fleet.runId, app) });
    }
    await deleteVhost(fleet.vhost);
  }
  await redis?.stop();
});

describe('with Redis frozen (every command hangs)', () => {
  beforeAll(() => (redis as PrivateRedis).freeze());

  it('spends, checks in and adjusts, with and without Idempotency-Key, and reads the balance', async () => {
    const before = await available();

    const answers = [
      await spend(5),
      await spend(7, keyOf('frozen-spend')),
      await call('POST', '/api/v1/points/me/check-in', { token: member.bearer }),
      await adjust(20),
      await adjust(30, keyOf('frozen-adjust')),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 201, 200, 200]);
    const checkedIn = (answers[2] as ApiResponse<{ points: number }>).body.points;
    expect(await available()).toBe(before - 5 - 7 + checkedIn + 20 + 30);
  });

  it('replays a key used before the outage with its first answer, and spends nothing more', async () => {
    const before = await available();

    const replay = await spend(10, spendKeyBefore, spendOrderBefore);

    expectReplayOf(replay, spentBefore);
    expect(await available()).toBe(before);
  });

  it('refuses a key used before the outage for another request', async () => {
    expectError(await spend(11, spendKeyBefore, spendOrderBefore), 422, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('runs a double submit of one key once', async () => {
    const before = await available();
    const key = keyOf('double');

    const answers = await Promise.all([adjust(40, key), adjust(40, key)]);

    // One ran; the other saw it running (409) or replayed its answer.
    const ran = answers.filter(
      (answer) => answer.status === 200 && answer.headers.get('idempotent-replayed') === null,
    );
    expect(ran).toHaveLength(1);
    for (const other of answers.filter((answer) => !ran.includes(answer))) {
      if (other.status === 409) expectError(other, 409, 'REQUEST_IN_PROGRESS');
      else expectReplayOf(other, ran[0] as ApiResponse);
    }
    expect(await available()).toBe(before + 40);
    expectReplayOf(await adjust(40, key), ran[0] as ApiResponse);
  });

  it('still limits check-ins, counted by the gateway instance', async () => {
    const limited = await newMember();
    const checkIn = () => call('POST', '/api/v1/points/me/check-in', { token: limited.bearer });

    // The default: 10 check-in calls a minute per member (only the first earns).
    const allowed: ApiResponse[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) allowed.push(await checkIn());
    const refused = await checkIn();

    expect(allowed.map((answer) => answer.status)).toEqual([201, ...Array(9).fill(409)]);
    expectError(refused, 429, 'RATE_LIMITED');
  });
});

describe('with Redis down (killed: connections refused, its data gone)', () => {
  let spentWhileDown: ApiResponse;
  let keyWhileDown: string;
  let orderWhileDown: string;

  beforeAll(async () => {
    const frozen = redis as PrivateRedis;
    frozen.thaw();
    await frozen.kill();
  });

  it('spends with a key and replays it, and reads the balance', async () => {
    const before = await available();
    keyWhileDown = keyOf('down');
    nextOrderId += 1n;
    orderWhileDown = nextOrderId.toString();

    spentWhileDown = await spend(3, keyWhileDown, orderWhileDown);
    const replay = await spend(3, keyWhileDown, orderWhileDown);

    expect(spentWhileDown.status).toBe(200);
    expectReplayOf(replay, spentWhileDown);
    expect(await available()).toBe(before - 3);
  });

  describe('and back', () => {
    beforeAll(() => (redis as PrivateRedis).restart());

    it('goes on: new keys, replays of keys from the outage, and Redis in use again', async () => {
      const before = await available();

      expectReplayOf(await spend(3, keyWhileDown, orderWhileDown), spentWhileDown);
      expectReplayOf(await spend(10, spendKeyBefore, spendOrderBefore), spentBefore);
      expect((await spend(2, keyOf('after'))).status).toBe(200);
      expect(
        (await call('POST', '/api/v1/points/me/check-in', { token: member.bearer })).status,
      ).toBe(409);

      expect(await available()).toBe(before - 2);
      // The restarted Redis is empty: answers and counters appear in it as the fleet uses it again.
      await waitFor(
        async () => {
          await spend(1, keyOf('cached'));
          return (await redisKeys('gateway:idem:*')).length > 0;
        },
        { timeoutMs: 15_000, intervalMs: 200, what: 'the gateway to keep answers in Redis again' },
      );
    });
  });
});
