import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { targetTableRows, resultRows } from './bench-report.mjs';
import { formatRatio, targetRows, withRatios } from './results.mjs';

const point = (scenario, connections, perSecond, p99, more = {}) => ({
  scenario,
  connections,
  perSecond,
  p50: p99 / 2,
  p95: p99,
  p99,
  ok: perSecond,
  errors: 0,
  errorsByKey: {},
  ...more,
});

describe('withRatios', () => {
  it('divides each rate by its baseline at the same connections', () => {
    const rated = withRatios([
      point('noop-rpc', 64, 2000, 40),
      point('noop-rpc', 16, 1000, 20),
      point('balance', 64, 1500, 45),
      point('raw-spend', 64, 1000, 60),
      point('spend', 64, 400, 90),
    ]);
    const of = (name, c) => rated.find((p) => p.scenario === name && p.connections === c);
    assert.equal(of('balance', 64).ratio, 0.75);
    assert.equal(of('balance', 64).baseline, 'noop-rpc');
    assert.equal(of('balance', 64).baselinePerSecond, 2000);
    assert.equal(of('spend', 64).ratio, 0.4);
    assert.equal(of('noop-rpc', 64).ratio, undefined);
  });

  it('has no ratio when the baseline is missing or served nothing', () => {
    const rated = withRatios([point('noop-rpc', 64, 0, 40), point('balance', 64, 10, 5)]);
    assert.equal(rated[1].ratio, undefined);
    assert.equal(withRatios([point('spend', 1, 5, 5)])[0].ratio, undefined);
  });
});

describe('targetRows', () => {
  const points = [
    point('noop-rpc', 64, 2000, 40),
    point('balance', 64, 1500, 45),
    point('profile', 64, 900, 30),
    point('quote', 64, 1800, 70),
    point('raw-spend', 64, 1000, 60),
    point('spend', 64, 600, 99),
    point('check-in', 64, 100, 50),
    point('mixed', 64, 1000, 60),
  ];

  it('passes a read under 50 ms at half the baseline rate or more', () => {
    const rows = targetRows(points);
    const of = (name) => rows.find((row) => row.scenario === name);
    assert.equal(of('balance').pass, true);
    assert.equal(of('profile').pass, false);
    assert.match(of('profile').reason, /45 % < 50 % of baseline/);
    assert.equal(of('quote').pass, false);
    assert.match(of('quote').reason, /p99 70 ms ≥ 50 ms/);
    assert.equal(of('spend').pass, true);
  });

  it('cannot tell without the baseline or the load level, and has no target for mixed', () => {
    const rows = targetRows(points);
    const checkIn = rows.find((row) => row.scenario === 'check-in');
    assert.equal(checkIn.pass, null);
    assert.match(checkIn.reason, /raw-check-in not measured/);
    assert.equal(
      rows.find((row) => row.scenario === 'mixed'),
      undefined,
    );
    const at16 = targetRows(points, 16);
    assert.ok(at16.every((row) => row.pass === null && /not measured at 16/.test(row.reason)));
  });

  it('fails a scenario with no successful call', () => {
    const rows = targetRows([
      point('noop-rpc', 64, 2000, 40),
      point('balance', 64, 0, 0, { ok: 0, p99: null, errors: 5, errorsByKey: { 503: 5 } }),
    ]);
    assert.equal(rows[0].pass, false);
    assert.equal(rows[0].reason, 'no successful call');
  });

  it('prints a verdict per row', () => {
    const rows = targetTableRows(points);
    const verdict = (name) => rows.find((row) => row[0] === name).at(-1);
    assert.equal(verdict('balance'), 'PASS');
    assert.match(verdict('profile'), /^FAIL \(/);
    assert.match(verdict('check-in'), /^n\/a \(/);
  });
});

describe('resultRows', () => {
  it('orders by scenario list then connections, with the ratio as a percentage', () => {
    const rows = resultRows([
      point('balance', 64, 1500, 45),
      point('noop-rpc', 64, 2000, 40),
      point('balance', 1, 20, 50),
      point('noop-rpc', 1, 25, 50),
    ]);
    assert.deepEqual(
      rows.map((row) => `${row[0]}@${row[1]}`),
      ['noop-rpc@1', 'noop-rpc@64', 'balance@1', 'balance@64'],
    );
    assert.equal(rows[3].at(-1), '75 %');
    assert.equal(rows[3].at(-2), 'noop-rpc 2000/s');
  });

  it('formats small ratios with a decimal', () => {
    assert.equal(formatRatio(0.051), '5.1 %');
    assert.equal(formatRatio(1.234), '123 %');
    assert.equal(formatRatio(undefined), '');
  });
});
