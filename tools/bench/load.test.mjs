import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STOP, percentile, runLoad, summarize } from './load.mjs';

describe('percentile', () => {
  it('takes the nearest rank of an ascending array', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 0.5), 50);
    assert.equal(percentile(sorted, 0.95), 95);
    assert.equal(percentile(sorted, 0.99), 99);
    assert.equal(percentile(sorted, 1), 100);
  });

  it('answers the only value of one, and null for none', () => {
    assert.equal(percentile([7], 0.99), 7);
    assert.equal(percentile([7], 0), 7);
    assert.equal(percentile([], 0.5), null);
  });

  it('rounds the rank up, so p99 of ten values is the largest', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99), 10);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5), 5);
  });
});

describe('summarize', () => {
  it('sorts the latencies, counts errors and rates per second', () => {
    const summary = summarize({
      latencies: [30, 10, 20, 40],
      errors: { '503 SERVICE_UNAVAILABLE': 2 },
      seconds: 2,
    });
    assert.equal(summary.ok, 4);
    assert.equal(summary.errors, 2);
    assert.equal(summary.perSecond, 2);
    assert.equal(summary.p50, 20);
    assert.equal(summary.p99, 40);
  });

  it('keeps two decimals under 10 ms and one above', () => {
    const summary = summarize({ latencies: [0.123456, 12.3456], errors: {}, seconds: 1 });
    assert.equal(summary.p50, 0.12);
    assert.equal(summary.p99, 12.3);
  });

  it('has no percentiles without a success', () => {
    const summary = summarize({ latencies: [], errors: { x: 1 }, seconds: 1 });
    assert.equal(summary.p50, null);
    assert.equal(summary.perSecond, 0);
  });
});

describe('runLoad', () => {
  it('runs each worker with its index and stops early when tasks say STOP', async () => {
    const seen = new Set();
    const result = await runLoad({
      task: async (n, worker) => {
        seen.add(worker);
        return n >= 10 ? STOP : null;
      },
      concurrency: 3,
      seconds: 5,
    });
    assert.deepEqual([...seen].sort(), [0, 1, 2]);
    assert.equal(result.ok, 10);
    assert.equal(result.stoppedEarly, true);
    assert.equal(result.calls, 13);
    assert.ok(result.seconds < 5);
  });

  it('makes exactly `calls` calls when given a count, each counted once, then ends', async () => {
    const made = [];
    const result = await runLoad({
      task: async (n) => {
        made.push(n);
        await new Promise((done) => setImmediate(done));
        return null;
      },
      concurrency: 4,
      seconds: 60,
      calls: 30,
    });
    assert.deepEqual(
      made.sort((a, b) => a - b),
      Array.from({ length: 30 }, (_, n) => n),
    );
    assert.equal(result.ok, 30);
    assert.equal(result.calls, 30);
    assert.ok(result.seconds < 60);
  });

  it('counts an error key as an error, not a latency', async () => {
    const result = await runLoad({
      task: async (n) => (n >= 20 ? STOP : n % 2 === 0 ? null : '422 POINTS_INSUFFICIENT'),
      concurrency: 1,
      seconds: 5,
    });
    assert.equal(result.ok, 10);
    assert.deepEqual(result.errorsByKey, { '422 POINTS_INSUFFICIENT': 10 });
  });
});
