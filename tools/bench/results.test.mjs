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

describe('withRatios against the floor', () => {
  it('divides spend and check-in by lot-spend-floor at the same connections', () => {
    const rated = withRatios([
      point('lot-spend-floor', 64, 3200, 40),
      point('lot-spend-floor', 16, 2000, 20),
      point('raw-spend', 64, 1000, 60),
      point('spend', 64, 1600, 99),
      point('check-in', 64, 800, 90),
      point('balance', 64, 800, 30),
    ]);
    const of = (name) => rated.find((p) => p.scenario === name);
    assert.equal(of('spend').floor, 'lot-spend-floor');
    assert.equal(of('spend').floorPerSecond, 3200);
    assert.equal(of('spend').floorRatio, 0.5);
    assert.equal(of('spend').ratio, 1.6);
    assert.equal(of('check-in').floorRatio, 0.25);
    assert.equal(of('check-in').ratio, undefined);
    assert.equal(of('balance').floorRatio, undefined);
    assert.equal(of('lot-spend-floor').floor, undefined);
  });
});

describe('targetRows against the floor', () => {
  const floorPoints = [
    point('raw-spend', 64, 1000, 60),
    point('raw-check-in', 64, 1200, 60),
    point('lot-spend-floor', 64, 3000, 40),
    point('spend', 64, 1200, 120),
    point('check-in', 64, 900, 90),
  ];
  const rowOf = (rows, name, reference) =>
    rows.find((row) => row.scenario === name && row.reference === reference);

  it('adds a row per write with a floor: ≥ 35 % of lot-spend-floor with p99 under 150 ms', () => {
    const rows = targetRows(floorPoints);
    const spend = rowOf(rows, 'spend', 'lot-spend-floor');
    assert.equal(spend.ratio, 0.4);
    assert.deepEqual(spend.target, { p99Ms: 150, minRatio: 0.35 });
    assert.equal(spend.pass, true);
    const checkIn = rowOf(rows, 'check-in', 'lot-spend-floor');
    assert.equal(checkIn.pass, false);
    assert.match(checkIn.reason, /^30 % < 35 % of lot-spend-floor$/);
    // The baseline rows stay as they were.
    assert.equal(rowOf(rows, 'spend', 'raw-spend').pass, false);
    assert.match(rowOf(rows, 'spend', 'raw-spend').reason, /p99 120 ms ≥ 100 ms/);
    assert.equal(rowOf(rows, 'check-in', 'raw-check-in').ratio, 0.75);
  });

  it('fails a write slower than 150 ms at p99, and cannot tell without the floor', () => {
    const slow = targetRows([point('lot-spend-floor', 64, 1000, 40), point('spend', 64, 900, 150)]);
    assert.equal(rowOf(slow, 'spend', 'lot-spend-floor').pass, false);
    assert.match(rowOf(slow, 'spend', 'lot-spend-floor').reason, /^p99 150 ms ≥ 150 ms$/);
    const without = targetRows([point('raw-spend', 64, 1000, 60), point('spend', 64, 500, 50)]);
    assert.equal(rowOf(without, 'spend', 'lot-spend-floor').pass, null);
    assert.match(rowOf(without, 'spend', 'lot-spend-floor').reason, /lot-spend-floor not measured/);
  });

  it('prints the floor rows with their own target and verdict', () => {
    const rows = targetTableRows(floorPoints).filter((row) => row[4].endsWith('lot-spend-floor'));
    assert.deepEqual(rows, [
      ['spend', '120', '< 150 ms', '40 %', '≥ 35 % of lot-spend-floor', 'PASS'],
      [
        'check-in',
        '90',
        '< 150 ms',
        '30 %',
        '≥ 35 % of lot-spend-floor',
        'FAIL (30 % < 35 % of lot-spend-floor)',
      ],
    ]);
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
    assert.match(of('profile').reason, /45 % < 50 % of noop-rpc/);
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
    assert.equal(rows[3].at(-2), '75 %');
    assert.equal(rows[3].at(-3), 'noop-rpc 2000/s');
    assert.equal(rows[3].at(-1), '');
  });

  it('shows spend and check-in as a share of lot-spend-floor too', () => {
    const rows = resultRows([
      point('raw-spend', 64, 1000, 60),
      point('lot-spend-floor', 64, 3000, 40),
      point('spend', 64, 600, 99),
      point('check-in', 64, 700, 90),
    ]);
    const of = (name) => rows.find((row) => row[0] === name);
    assert.deepEqual(of('spend').slice(-3), ['raw-spend 1000/s', '60 %', '20 %']);
    assert.equal(of('check-in').at(-1), '23 %');
    assert.equal(of('check-in').at(-2), '');
    assert.equal(of('lot-spend-floor').at(-1), '');
  });

  it('formats small ratios with a decimal', () => {
    assert.equal(formatRatio(0.051), '5.1 %');
    assert.equal(formatRatio(1.234), '123 %');
    assert.equal(formatRatio(undefined), '');
  });
});
