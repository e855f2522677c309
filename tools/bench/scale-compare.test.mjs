import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareScales, scaleTable } from './scale-compare.mjs';

const point = (scenario, connections, perSecond, p99) => ({
  scenario,
  connections,
  perSecond,
  p99,
  errors: 0,
});

describe('compareScales', () => {
  const small = {
    scale: 10_000,
    points: [
      point('noop-rpc', 64, 4000, 30),
      point('balance', 64, 1000, 40),
      point('spend', 64, 400, 80),
      point('balance', 16, 900, 20),
    ],
  };
  const large = {
    scale: 1_000_000,
    points: [
      point('noop-rpc', 64, 4000, 30),
      point('balance', 64, 900, 44),
      point('spend', 64, 200, 90),
    ],
  };

  it('compares the API scenarios at the load level, smallest against largest, baselines left out', () => {
    const rows = compareScales([large, small], 64);
    assert.deepEqual(
      rows.map((r) => r.scenario),
      ['balance', 'spend'],
    );
    const [balance, spend] = rows;
    assert.deepEqual(
      balance.figures.map((f) => f.scale),
      [10_000, 1_000_000],
    );
    assert.ok(Math.abs(balance.rateSlowdown - 1000 / 900) < 1e-9);
    assert.ok(Math.abs(balance.p99Slowdown - 1.1) < 1e-9);
    assert.equal(balance.pass, true);
    assert.equal(spend.rateSlowdown, 2);
    assert.equal(spend.pass, false);
  });

  it('cannot tell when the large run served nothing', () => {
    const [row] = compareScales(
      [small, { scale: 1_000_000, points: [point('balance', 64, 0, null)] }],
      64,
    );
    assert.equal(row.pass, null);
    assert.match(scaleTable([row]), /n\/a/);
  });

  it('prints a column per population', () => {
    const table = scaleTable(compareScales([small, large], 64));
    assert.match(table, /req\/s at 10k \| req\/s at 1M \| p99 ms at 10k \| p99 ms at 1M/);
    assert.match(table, /\| spend \| 400 \| 200 \| 80 \| 90 \| 2\.00× \| 1\.13× \| \*\*no\*\* \|/);
  });
});
