// Pure figures from what the run recorded: error rates over a time range, fixed windows, the
// recovery time after a fault (first fully successful window of requests) and the time until the
// event backlog was drained. Times are ms since the run's t0; results in seconds.

/** Calls whose 4xx answer is part of normal business, per operation. */
export const EXPECTED_REFUSALS = Object.freeze({
  spend: ['POINTS_INSUFFICIENT'],
  'check-in': ['ALREADY_CHECKED_IN'],
});

/** A call failed unless it got 2xx/3xx or a 4xx that is normal business for its operation. */
export function isError({ op, status, code }) {
  if (status === 0 || status >= 500) return true;
  if (status < 400) return false;
  return !(EXPECTED_REFUSALS[op] ?? []).includes(code);
}

/**
 * Calls started in [from, to) — or, with `overlapping`, calls in flight at any time in it — how
 * many, how many failed, how many 503, the failures by `op status code`, and the slowest (ms).
 */
export function errorRate(calls, from, to, { overlapping = false } = {}) {
  let total = 0;
  let errors = 0;
  let unavailable = 0;
  let maxMs = 0;
  const byKey = {};
  for (const call of calls) {
    const inRange = overlapping
      ? call.t < to && call.t + (call.ms ?? 0) >= from
      : call.t >= from && call.t < to;
    if (!inRange) continue;
    total += 1;
    maxMs = Math.max(maxMs, call.ms ?? 0);
    if (call.status === 503) unavailable += 1;
    if (!isError(call)) continue;
    errors += 1;
    const key = `${call.op} ${call.status} ${call.code || ''}`.trim();
    byKey[key] = (byKey[key] ?? 0) + 1;
  }
  return {
    total,
    errors,
    unavailable,
    rate: total === 0 ? null : errors / total,
    rate503: total === 0 ? null : unavailable / total,
    maxMs,
    byKey,
  };
}

/** Consecutive windows of `size` ms from `from` up to `to` (the last one may be shorter). */
export function windows(calls, from, to, size) {
  const result = [];
  for (let start = from; start < to; start += size) {
    const end = Math.min(start + size, to);
    result.push({ from: start, to: end, ...errorRate(calls, start, end) });
  }
  return result;
}

/**
 * Seconds from `faultEnd` to the start of the first window (of `windowMs`, aligned on `faultEnd`)
 * with at least `minCalls` calls and no failure, looking no further than `horizon`. `seconds` is
 * null when no such window came; `observed` is how long was watched.
 */
export function recoveryTime(calls, faultEnd, horizon, { windowMs = 1000, minCalls = 3 } = {}) {
  for (const window of windows(calls, faultEnd, horizon, windowMs)) {
    if (window.to - window.from < windowMs) break;
    if (window.total >= minCalls && window.errors === 0) {
      return { seconds: (window.from - faultEnd) / 1000, observed: (horizon - faultEnd) / 1000 };
    }
  }
  return { seconds: null, observed: (horizon - faultEnd) / 1000 };
}

/**
 * Seconds from `faultEnd` until the backlog that existed at `faultEnd` was gone: every order first
 * sent by then (and confirmed at some point) credited by point-service, and every outbox row
 * written by then published. Uses the monitor's samples up to `horizon`; null if never.
 */
export function drainTime({ orders, creditedAt, samples, faultEnd, horizon }) {
  let lastCredit = faultEnd;
  for (const order of orders) {
    if (order.firstAttemptAt === undefined || order.firstAttemptAt > faultEnd) continue;
    if (order.confirmedAt === undefined) continue;
    const seen = creditedAt.get(order.orderId);
    if (seen === undefined) return { seconds: null, observed: (horizon - faultEnd) / 1000 };
    lastCredit = Math.max(lastCredit, seen);
  }
  const usable = samples.filter(
    (sample) => sample.ok && sample.t >= faultEnd && sample.t <= horizon,
  );
  const marks = usable[0]?.outbox;
  for (const sample of usable) {
    if (sample.t < lastCredit) continue;
    const published = Object.entries(marks ?? {}).every(([app, mark]) => {
      const min = sample.outbox[app]?.minUnpublished;
      return min === null || min === undefined || min > mark.maxId;
    });
    if (published) {
      return { seconds: (sample.t - faultEnd) / 1000, observed: (horizon - faultEnd) / 1000 };
    }
  }
  return { seconds: null, observed: (horizon - faultEnd) / 1000 };
}

/**
 * Verdict on a recovery figure against `targetSeconds`: `ok`, `slow` (beyond the target),
 * `not-recovered` (not within the target although watched that long) or `inconclusive` (watched
 * for less than the target and not yet recovered).
 */
export function recoveryVerdict({ seconds, observed }, targetSeconds) {
  if (seconds !== null) return seconds <= targetSeconds ? 'ok' : 'slow';
  return observed >= targetSeconds ? 'not-recovered' : 'inconclusive';
}
