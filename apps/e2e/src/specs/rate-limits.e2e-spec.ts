import type { RunningApp } from '@member-system/shared/testing';
import {
  deleteRedisKeys,
  freePort,
  newTestRunId,
  startApp,
  stopApp,
} from '@member-system/shared/testing';
import { api, expectError, memberToken, metricValue, nextUserId, token } from '../support/api';
import type { ApiOptions, ApiResponse, Method } from '../support/api';
import { fleetInfo } from '../support/fleet';

const WINDOW_SECONDS = 60;
const PER_MEMBER = 5;
const PER_IP = 12;
const CHECK_IN_PER_MEMBER = 2;
const SPEND_PER_MEMBER = 3;
const PER_SERVICE = 8;

/**
 * Two gateway instances with low limits and a Redis prefix of their own (so the fleet's counters
 * and theirs never meet), behind a trusted proxy: each test sends from client addresses of its own
 * via X-Forwarded-For. Every counter is fresh (new member ids, new addresses) and a test takes a
 * few seconds of its 60-second windows, so no window ends in the middle of one.
 */
describe('rate limits with two gateway instances sharing the limit', () => {
  const prefix = `ms:${newTestRunId()}:gw:`;
  const instances: RunningApp[] = [];
  let a: RunningApp;
  let b: RunningApp;
  let lastAddress = 0;

  /** A client address (TEST-NET-3) no other test of this file sends from. */
  const nextAddress = (): string => `203.0.113.${(lastAddress += 1)}`;

  beforeAll(async () => {
    const env = {
      ...fleetInfo().env.gateway,
      REDIS_PREFIX: prefix,
      TRUST_PROXY: 'true',
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      RATE_LIMIT_PER_MEMBER: String(PER_MEMBER),
      RATE_LIMIT_PER_IP: String(PER_IP),
      RATE_LIMIT_CHECK_IN_PER_MEMBER: String(CHECK_IN_PER_MEMBER),
      RATE_LIMIT_SPEND_PER_MEMBER: String(SPEND_PER_MEMBER),
      RATE_LIMIT_PER_SERVICE: String(PER_SERVICE),
    };
    const ports = [await freePort(), await freePort()];
    const started = await Promise.allSettled(ports.map((port) => startApp('gateway', env, port)));
    for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    [a, b] = instances as [RunningApp, RunningApp];
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => stopApp(instance)));
    await deleteRedisKeys(prefix);
  });

  const call = (
    instance: RunningApp,
    from: string,
    method: Method,
    path: string,
    options: ApiOptions = {},
  ): Promise<ApiResponse> =>
    api(method, path, {
      ...options,
      baseUrl: `http://127.0.0.1:${instance.port}`,
      headers: { 'x-forwarded-for': from, ...options.headers },
    });

  /** The 429 of docs/api/contract.md, with a Retry-After that says when the window ends. */
  function expectRateLimited(response: ApiResponse, limit: number): void {
    const error = expectError(response, 429, 'RATE_LIMITED');
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(error.details).toEqual({
      limit,
      windowSeconds: WINDOW_SECONDS,
      retryAfterSeconds: retryAfter,
    });
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  }

  it("refuses a member's sixth request with 429 after three through each instance", async () => {
    const from = nextAddress();
    const bearer = memberToken(nextUserId());
    const refusedBefore = await metricValue(b.port, 'ms_gateway_rate_limited_total', {
      limit: 'member',
    });

    const answers: ApiResponse[] = [];
    for (const instance of [a, b, a, b, a, b]) {
      answers.push(
        await call(instance, from, 'GET', '/api/v1/points/me/balance', { token: bearer }),
      );
    }

    expect(answers.slice(0, PER_MEMBER).map((answer) => answer.status)).not.toContain(429);
    expectRateLimited(answers[PER_MEMBER] as ApiResponse, PER_MEMBER);
    expectRateLimited(
      await call(a, from, 'GET', '/api/v1/members/me', { token: bearer }),
      PER_MEMBER,
    );
    expect(await metricValue(b.port, 'ms_gateway_rate_limited_total', { limit: 'member' })).toBe(
      refusedBefore + 1,
    );
  });

  it('leaves another member on the same instances unaffected', async () => {
    const from = nextAddress();
    const limited = memberToken(nextUserId());
    for (const instance of [a, b, a, b, a]) {
      await call(instance, from, 'GET', '/api/v1/points/me/balance', { token: limited });
    }

    const refused = await call(b, from, 'GET', '/api/v1/points/me/balance', { token: limited });
    const other = await call(b, from, 'GET', '/api/v1/points/me/balance', {
      token: memberToken(nextUserId()),
    });

    expectRateLimited(refused, PER_MEMBER);
    expect(other.status).not.toBe(429);
    expect(other.headers.get('retry-after')).toBeNull();
  });

  it("limits check-ins tighter than the member's own limit", async () => {
    const from = nextAddress();
    const bearer = memberToken(nextUserId());
    const checkIn = (instance: RunningApp) =>
      call(instance, from, 'POST', '/api/v1/points/me/check-in', { token: bearer });

    const allowed = [await checkIn(a), await checkIn(b)];
    const third = await checkIn(a);
    const otherRoute = await call(b, from, 'GET', '/api/v1/points/me/balance', { token: bearer });

    expect(allowed.map((answer) => answer.status)).not.toContain(429);
    expectRateLimited(third, CHECK_IN_PER_MEMBER);
    // Three check-ins and this read: still within the member's own five.
    expect(otherRoute.status).not.toBe(429);
  });

  it('counts spends and holds against one spending limit', async () => {
    const from = nextAddress();
    const bearer = memberToken(nextUserId());
    const spend = (instance: RunningApp) =>
      call(instance, from, 'POST', '/api/v1/points/me/use', {
        token: bearer,
        body: { points: 1, orderId: nextUserId() },
      });
    const hold = (instance: RunningApp) =>
      call(instance, from, 'POST', '/api/v1/points/me/holds', {
        token: bearer,
        body: { points: 1, orderId: nextUserId() },
      });

    const allowed = [await spend(a), await hold(b), await spend(b)];
    const fourth = await hold(a);

    expect(allowed.map((answer) => answer.status)).not.toContain(429);
    expectRateLimited(fourth, SPEND_PER_MEMBER);
  });

  it('counts requests without a valid token against the per-IP limit too', async () => {
    const from = nextAddress();
    const unauthenticated: ApiResponse[] = [];
    for (let index = 0; index < PER_IP; index += 1) {
      unauthenticated.push(
        await call(index % 2 === 0 ? a : b, from, 'GET', '/api/v1/points/me/balance'),
      );
    }

    const next = await call(a, from, 'GET', '/api/v1/points/me/balance');
    const withToken = await call(b, from, 'GET', '/api/v1/points/me/balance', {
      token: memberToken(nextUserId()),
    });
    const elsewhere = await call(a, nextAddress(), 'GET', '/api/v1/points/me/balance');

    expect(unauthenticated.map((answer) => answer.status)).toEqual(Array(PER_IP).fill(401));
    expectRateLimited(next, PER_IP);
    expectRateLimited(withToken, PER_IP);
    expectError(elsewhere, 401, 'UNAUTHENTICATED');
  });

  it("gives a service token its own budget, above a member's, and no spending limit", async () => {
    const service = token({ sub: nextUserId(), roles: ['service'], perms: [] });
    const answers: ApiResponse[] = [];
    for (let index = 0; index <= PER_SERVICE; index += 1) {
      // A fresh address each time: only the token's own budget is in play.
      answers.push(
        await call(index % 2 === 0 ? a : b, nextAddress(), 'POST', '/api/v1/points/me/holds', {
          token: service,
          body: { memberId: nextUserId(), points: 1, orderId: nextUserId() },
        }),
      );
    }

    const allowed = answers.slice(0, PER_SERVICE).map((answer) => answer.status);
    expect(allowed).not.toContain(429);
    expectRateLimited(answers[PER_SERVICE] as ApiResponse, PER_SERVICE);
  });

  it('never limits health probes or metrics scrapes', async () => {
    const from = nextAddress();
    const paths = ['/health/live', '/health/ready', '/metrics'];
    const statuses: number[] = [];
    for (let index = 0; index <= PER_IP; index += 1) {
      const response = await call(a, from, 'GET', paths[index % paths.length] as string);
      statuses.push(response.status);
    }

    expect(statuses).toEqual(Array(PER_IP + 1).fill(200));
  });
});
