import { ErrorCode } from '@member-system/contracts';
import {
  actorLimits,
  exceededOf,
  ipLimit,
  isExemptUrl,
  rateLimitedError,
  retryAfterSecondsOf,
} from './rate-limit-policy';
import type { Limit, RateLimitSettings } from './rate-limit-policy';

const settings: RateLimitSettings = {
  windowSeconds: 60,
  perIp: 3000,
  perMember: 600,
  perAdmin: 500,
  perService: 6000,
  checkInPerMember: 10,
  spendPerMember: 60,
};

const member = { userId: '42', roles: ['member' as const] };
const admin = { userId: '7', roles: ['admin' as const] };
const service = { userId: '9000', roles: ['service' as const] };

describe(actorLimits.name, () => {
  it('gives a member their own budget on an ordinary route', () => {
    expect(actorLimits(member, 'GET', '/api/v1/points/me/balance', settings)).toEqual([
      { name: 'member', key: 'rate:member:42', max: 600 },
    ]);
  });

  it('adds the tighter check-in budget to a check-in', () => {
    expect(actorLimits(member, 'POST', '/api/v1/points/me/check-in', settings)).toEqual([
      { name: 'member', key: 'rate:member:42', max: 600 },
      { name: 'check-in', key: 'rate:check-in:42', max: 10 },
    ]);
  });

  it.each(['/api/v1/points/me/use', '/api/v1/points/me/holds'])(
    'adds the spend budget to POST %s',
    (route) => {
      expect(actorLimits(member, 'POST', route, settings)).toContainEqual({
        name: 'spend',
        key: 'rate:spend:42',
        max: 60,
      });
    },
  );

  it('matches the route pattern and method, not a path that merely contains it', () => {
    expect(actorLimits(member, 'GET', '/api/v1/points/me/check-in', settings)).toHaveLength(1);
    expect(
      actorLimits(member, 'POST', '/api/v1/points/me/holds/:holdId/capture', settings),
    ).toHaveLength(1);
    expect(actorLimits(member, 'POST', undefined, settings)).toHaveLength(1);
  });

  it('gives a service token only its own budget, even on spending routes it calls for members', () => {
    expect(actorLimits(service, 'POST', '/api/v1/points/me/holds', settings)).toEqual([
      { name: 'service', key: 'rate:service:9000', max: 6000 },
    ]);
  });

  it("gives an admin the admin budget, and a token with several roles the widest role's", () => {
    expect(actorLimits(admin, 'GET', '/api/v1/admin/levels', settings)).toEqual([
      { name: 'admin', key: 'rate:admin:7', max: 500 },
    ]);
    expect(
      actorLimits({ userId: '8', roles: ['member', 'admin'] }, 'GET', '/x', settings)[0]?.name,
    ).toBe('admin');
    expect(
      actorLimits({ userId: '8', roles: ['admin', 'service'] }, 'GET', '/x', settings)[0]?.name,
    ).toBe('service');
  });
});

describe(ipLimit.name, () => {
  it('keys the per-IP budget by the address, IPv6 included', () => {
    expect(ipLimit('::1', settings)).toEqual({ name: 'ip', key: 'rate:ip:::1', max: 3000 });
  });
});

describe(isExemptUrl.name, () => {
  it.each(['/health/live', '/health/ready', '/metrics'])('never limits %s', (url) => {
    expect(isExemptUrl(url)).toBe(true);
  });

  it.each(['/api/v1/points/me/balance', '/api/v1/health', '/metrics/x'])('limits %s', (url) => {
    expect(isExemptUrl(url)).toBe(false);
  });

  it('limits a request whose route pattern is not known', () => {
    expect(isExemptUrl(undefined)).toBe(false);
  });
});

describe(retryAfterSecondsOf.name, () => {
  it('rounds the rest of the window up to whole seconds', () => {
    expect(retryAfterSecondsOf(59_001, 60)).toBe(60);
    expect(retryAfterSecondsOf(1_500, 60)).toBe(2);
    expect(retryAfterSecondsOf(3_000, 60)).toBe(3);
  });

  it('never says less than one second, nor more than the window', () => {
    expect(retryAfterSecondsOf(0, 60)).toBe(1);
    expect(retryAfterSecondsOf(12, 60)).toBe(1);
    expect(retryAfterSecondsOf(90_000, 60)).toBe(60);
  });

  it('waits a whole window for a counter Redis reports without an expiry', () => {
    expect(retryAfterSecondsOf(-1, 60)).toBe(60);
  });
});

describe(exceededOf.name, () => {
  const memberLimit: Limit = { name: 'member', key: 'rate:member:42', max: 5 };
  const checkInLimit: Limit = { name: 'check-in', key: 'rate:check-in:42', max: 2 };

  it('lets a request through up to and including the limit', () => {
    expect(exceededOf([memberLimit], [{ count: 5, ttlMs: 30_000 }], 60)).toBeUndefined();
  });

  it('refuses the request past the limit, until the window ends', () => {
    expect(exceededOf([memberLimit], [{ count: 6, ttlMs: 30_000 }], 60)).toEqual({
      limit: memberLimit,
      retryAfterSeconds: 30,
    });
  });

  it('names the limit whose window ends last when several are over', () => {
    const counts = [
      { count: 9, ttlMs: 10_000 },
      { count: 3, ttlMs: 45_000 },
    ];
    expect(exceededOf([memberLimit, checkInLimit], counts, 60)).toEqual({
      limit: checkInLimit,
      retryAfterSeconds: 45,
    });
  });

  it('names only the limit that is over', () => {
    const counts = [
      { count: 9, ttlMs: 10_000 },
      { count: 1, ttlMs: 45_000 },
    ];
    expect(exceededOf([memberLimit, checkInLimit], counts, 60)?.limit).toBe(memberLimit);
  });
});

describe(rateLimitedError.name, () => {
  it('carries the limit, the window and the wait in the error model', () => {
    const error = rateLimitedError(
      { limit: { name: 'check-in', key: 'rate:check-in:42', max: 10 }, retryAfterSeconds: 17 },
      60,
    );

    expect(error.code).toBe(ErrorCode.RateLimited);
    expect(error.details).toEqual({ limit: 10, windowSeconds: 60, retryAfterSeconds: 17 });
    expect(error.message).toBe(
      'Too many requests to check in: at most 10 every 60 s, try again in 17 s',
    );
  });
});
