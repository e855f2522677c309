import type { Actor } from '@member-system/contracts';
import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';

/** What the metric's `limit` label says: which budget ran out. */
export type LimitName = 'ip' | 'member' | 'admin' | 'service' | 'check-in' | 'spend';

export interface RateLimitSettings {
  windowSeconds: number;
  perIp: number;
  perMember: number;
  perAdmin: number;
  perService: number;
  checkInPerMember: number;
  spendPerMember: number;
}

/** One fixed-window counter: its Redis key (under the gateway's prefix) and its maximum. */
export interface Limit {
  name: LimitName;
  key: string;
  max: number;
}

/** A counter after this request was counted: its value and how long its window still runs. */
export interface WindowCount {
  count: number;
  ttlMs: number;
}

export interface Exceeded {
  limit: Limit;
  retryAfterSeconds: number;
}

const CHECK_IN_ROUTES = new Set(['POST /api/v1/points/me/check-in']);
const SPEND_ROUTES = new Set(['POST /api/v1/points/me/use', 'POST /api/v1/points/me/holds']);

/** Health probes and metrics scrapes are never limited, whatever their decorators say. */
export function isExemptUrl(url: string | undefined): boolean {
  return url === '/metrics' || (url?.startsWith('/health/') ?? false);
}

/** Every request is counted against the client's IP, authenticated or not. */
export function ipLimit(ip: string, settings: RateLimitSettings): Limit {
  return { name: 'ip', key: `rate:ip:${ip}`, max: settings.perIp };
}

/**
 * The caller's own budget (a service token's, an admin's or a member's, in that order when a token
 * holds several roles), plus the tighter per-member budgets of check-in and spending. A service
 * spends for many members, so only its own budget applies to it.
 */
export function actorLimits(
  actor: Pick<Actor, 'userId' | 'roles'>,
  method: string,
  route: string | undefined,
  settings: RateLimitSettings,
): Limit[] {
  if (actor.roles.includes('service')) {
    return [{ name: 'service', key: `rate:service:${actor.userId}`, max: settings.perService }];
  }
  const limits: Limit[] = actor.roles.includes('admin')
    ? [{ name: 'admin', key: `rate:admin:${actor.userId}`, max: settings.perAdmin }]
    : [{ name: 'member', key: `rate:member:${actor.userId}`, max: settings.perMember }];
  const endpoint = `${method} ${route ?? ''}`;
  if (CHECK_IN_ROUTES.has(endpoint)) {
    limits.push({
      name: 'check-in',
      key: `rate:check-in:${actor.userId}`,
      max: settings.checkInPerMember,
    });
  }
  if (SPEND_ROUTES.has(endpoint)) {
    limits.push({ name: 'spend', key: `rate:spend:${actor.userId}`, max: settings.spendPerMember });
  }
  return limits;
}

/** Whole seconds until a window ends, rounded up: at least 1, at most the window. */
export function retryAfterSecondsOf(ttlMs: number, windowSeconds: number): number {
  // A key without an expiry (it cannot happen after the script, but Redis says -1) waits a window.
  if (ttlMs < 0) return windowSeconds;
  return Math.min(Math.max(Math.ceil(ttlMs / 1000), 1), windowSeconds);
}

/**
 * The limit this request went over, if any. When several are over, the one whose window ends last:
 * retrying before then would be refused again.
 */
export function exceededOf(
  limits: readonly Limit[],
  counts: readonly WindowCount[],
  windowSeconds: number,
): Exceeded | undefined {
  let worst: Exceeded | undefined;
  limits.forEach((limit, index) => {
    const counted = counts[index];
    if (!counted || counted.count <= limit.max) return;
    const retryAfterSeconds = retryAfterSecondsOf(counted.ttlMs, windowSeconds);
    if (!worst || retryAfterSeconds > worst.retryAfterSeconds) worst = { limit, retryAfterSeconds };
  });
  return worst;
}

const DESCRIPTIONS: Record<LimitName, string> = {
  ip: 'from this address',
  member: 'for this member',
  admin: 'for this admin',
  service: 'for this service token',
  'check-in': 'to check in',
  spend: 'to spend points',
};

/** The 429 body of the contract's error model. */
export function rateLimitedError(exceeded: Exceeded, windowSeconds: number): AppException {
  const { limit, retryAfterSeconds } = exceeded;
  return new AppException(
    ErrorCode.RateLimited,
    `Too many requests ${DESCRIPTIONS[limit.name]}: at most ${limit.max} every ${windowSeconds} s, try again in ${retryAfterSeconds} s`,
    { limit: limit.max, windowSeconds, retryAfterSeconds },
  );
}
