import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  drainTime,
  errorRate,
  isError,
  recoveryTime,
  recoveryVerdict,
  windows,
} from './analysis.mjs';

const call = (t, status, op = 'balance', code = '') => ({ t, op, status, code, ms: 10 });

describe('isError', () => {
  it('counts 5xx, network failures and unexpected 4xx, not the business refusals', () => {
    assert.equal(isError(call(0, 200)), false);
    assert.equal(isError(call(0, 0)), true);
    assert.equal(isError(call(0, 503)), true);
    assert.equal(isError(call(0, 500)), true);
    assert.equal(isError(call(0, 422, 'spend', 'POINTS_INSUFFICIENT')), false);
    assert.equal(isError(call(0, 409, 'check-in', 'ALREADY_CHECKED_IN')), false);
    assert.equal(isError(call(0, 409, 'spend', 'REQUEST_IN_PROGRESS')), true);
    assert.equal(isError(call(0, 429, 'balance', 'RATE_LIMITED')), true);
  });
});

describe('errorRate', () => {
  it('takes calls started in [from, to) and keys failures by operation, status and code', () => {
    const calls = [
      call(999, 503),
      call(1000, 200),
      call(1500, 503, 'quote', 'SERVICE_UNAVAILABLE'),
      call(1600, 0, 'spend', 'TIMEOUT'),
      call(1700, 422, 'spend', 'POINTS_INSUFFICIENT'),
      call(2000, 503),
    ];
    const rate = errorRate(calls, 1000, 2000);
    assert.equal(rate.total, 4);
    assert.equal(rate.errors, 2);
    assert.equal(rate.unavailable, 1);
    assert.equal(rate.rate, 0.5);
    assert.equal(rate.rate503, 0.25);
    assert.deepEqual(rate.byKey, { 'quote 503 SERVICE_UNAVAILABLE': 1, 'spend 0 TIMEOUT': 1 });
  });

  it('counts calls in flight during the range when asked to', () => {
    const calls = [
      { ...call(500, 200), ms: 700 },
      { ...call(500, 200), ms: 400 },
      { ...call(1500, 0, 'quote', 'TIMEOUT'), ms: 8000 },
      { ...call(2000, 200), ms: 5 },
    ];
    const rate = errorRate(calls, 1000, 2000, { overlapping: true });
    assert.equal(rate.total, 2);
    assert.equal(rate.errors, 1);
    assert.equal(rate.maxMs, 8000);
  });

  it('has no rate without calls', () => {
    assert.equal(errorRate([], 0, 1000).rate, null);
  });
});

describe('windows', () => {
  it('cuts the range into fixed windows, the last one shorter', () => {
    const result = windows([call(100, 200), call(1100, 503), call(2100, 200)], 0, 2500, 1000);
    assert.deepEqual(
      result.map((w) => [w.from, w.to, w.total, w.errors]),
      [
        [0, 1000, 1, 0],
        [1000, 2000, 1, 1],
        [2000, 2500, 1, 0],
      ],
    );
  });
});

describe('recoveryTime', () => {
  const calls = [];
  // Failures until 12.4 s, then only successes, three a second.
  for (let t = 10_000; t < 20_000; t += 300) calls.push(call(t, t < 12_400 ? 503 : 200));

  it('is the start of the first clean window after the fault ended', () => {
    assert.deepEqual(recoveryTime(calls, 10_000, 20_000), { seconds: 3, observed: 10 });
  });

  it('is zero when the first window is already clean', () => {
    assert.equal(recoveryTime(calls, 13_000, 20_000).seconds, 0);
  });

  it('ignores windows with too few calls to say anything', () => {
    const sparse = [
      call(10_000, 503),
      call(11_500, 200),
      call(12_100, 200),
      call(12_200, 200),
      call(12_300, 200),
    ];
    assert.equal(recoveryTime(sparse, 10_000, 14_000).seconds, 2);
  });

  it('is null when no clean window came before the horizon', () => {
    assert.deepEqual(recoveryTime(calls, 10_000, 12_000), { seconds: null, observed: 2 });
  });
});

describe('drainTime', () => {
  const orders = [
    { orderId: 'a', firstAttemptAt: 1000, confirmedAt: 1100 },
    { orderId: 'b', firstAttemptAt: 4000, confirmedAt: 9000 },
    { orderId: 'c', firstAttemptAt: 6000, confirmedAt: 6100 },
    { orderId: 'never', firstAttemptAt: 4500, confirmedAt: undefined },
  ];
  const outbox = (minUnpublished, maxId = 10) => ({ 'point-service': { maxId, minUnpublished } });
  const samples = [
    { t: 5000, ok: true, outbox: outbox(8) },
    { t: 6000, ok: false },
    { t: 7000, ok: true, outbox: outbox(9, 12) },
    { t: 10_000, ok: true, outbox: outbox(11, 14) },
    { t: 11_000, ok: true, outbox: outbox(null, 14) },
  ];

  it('waits for the orders sent before the end and the outbox rows written before it', () => {
    const creditedAt = new Map([
      ['a', 2000],
      ['b', 10_000],
      ['c', 7000],
    ]);
    // b (sent at 4 s, before the end at 5 s) is credited at 10 s; the outbox row 8 (≤ mark 10) is
    // still unpublished at 7 s, gone at 10 s; row 11 came after the mark and does not count.
    assert.deepEqual(drainTime({ orders, creditedAt, samples, faultEnd: 5000, horizon: 20_000 }), {
      seconds: 5,
      observed: 15,
    });
  });

  it('is null while an order sent before the end is still not credited', () => {
    const creditedAt = new Map([['a', 2000]]);
    assert.equal(
      drainTime({ orders, creditedAt, samples, faultEnd: 5000, horizon: 20_000 }).seconds,
      null,
    );
  });
});

describe('recoveryVerdict', () => {
  it('tells slow, unrecovered and inconclusive apart', () => {
    assert.equal(recoveryVerdict({ seconds: 4, observed: 15 }, 30), 'ok');
    assert.equal(recoveryVerdict({ seconds: 31, observed: 40 }, 30), 'slow');
    assert.equal(recoveryVerdict({ seconds: null, observed: 35 }, 30), 'not-recovered');
    assert.equal(recoveryVerdict({ seconds: null, observed: 15 }, 30), 'inconclusive');
  });
});
