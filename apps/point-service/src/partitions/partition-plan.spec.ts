import type { ExistingPartition } from './partition-plan';
import { parseBound, planMonthlyPartitions, reorganizeStatement } from './partition-plan';

const HISTORY: ExistingPartition = { name: 'p_history', description: "'2026-01-01'" };
const FUTURE: ExistingPartition = { name: 'p_future', description: 'MAXVALUE' };

function monthsUpTo(last: string): ExistingPartition[] {
  const partitions = [HISTORY];
  for (let month = new Date('2026-01-01T00:00:00Z'); ;) {
    const name = `p${month.toISOString().slice(0, 7).replace('-', '')}`;
    month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    partitions.push({ name, description: `'${month.toISOString().slice(0, 10)}'` });
    if (name === last) return [...partitions, FUTURE];
  }
}

const names = (existing: ExistingPartition[], asOf: string, ahead = 3): string[] =>
  planMonthlyPartitions(existing, new Date(asOf), ahead).add.map((p) => p.name);

describe(planMonthlyPartitions.name, () => {
  it("covers every month from the last bound through asOf's month plus the months ahead", () => {
    const plan = planMonthlyPartitions([HISTORY, FUTURE], new Date('2026-03-15T00:00:00Z'), 3);

    expect(plan).toEqual({
      catchAll: 'p_future',
      add: [
        { name: 'p202601', lessThan: '2026-02-01' },
        { name: 'p202602', lessThan: '2026-03-01' },
        { name: 'p202603', lessThan: '2026-04-01' },
        { name: 'p202604', lessThan: '2026-05-01' },
        { name: 'p202605', lessThan: '2026-06-01' },
        { name: 'p202606', lessThan: '2026-07-01' },
      ],
    });
  });

  it('crosses year boundaries', () => {
    expect(
      planMonthlyPartitions(monthsUpTo('p202610'), new Date('2026-11-20T00:00:00Z'), 3).add,
    ).toEqual([
      { name: 'p202611', lessThan: '2026-12-01' },
      { name: 'p202612', lessThan: '2027-01-01' },
      { name: 'p202701', lessThan: '2027-02-01' },
      { name: 'p202702', lessThan: '2027-03-01' },
    ]);
    expect(names(monthsUpTo('p202612'), '2027-12-31T23:59:59.999Z', 1)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `p2027${String(i + 1).padStart(2, '0')}`),
      'p202801',
    ]);
  });

  it('adds nothing when the months are there already, or further', () => {
    expect(names(monthsUpTo('p202606'), '2026-03-15T00:00:00Z')).toEqual([]);
    expect(names(monthsUpTo('p202612'), '2026-03-15T00:00:00Z')).toEqual([]);
    expect(names(monthsUpTo('p202606'), '2026-06-30T23:59:59.999Z', 0)).toEqual([]);
  });

  it('adds only the missing months after the highest partition, however far behind it is', () => {
    expect(names(monthsUpTo('p202606'), '2026-08-01T00:00:00Z')).toEqual([
      'p202607',
      'p202608',
      'p202609',
      'p202610',
      'p202611',
    ]);
    expect(names([HISTORY, FUTURE], '2027-02-01T00:00:00Z', 0)).toHaveLength(14);
  });

  it('takes the month of asOf in UTC, the time zone of created_at', () => {
    // 1 July 06:00 in Shanghai is still June in UTC.
    expect(names(monthsUpTo('p202606'), '2026-06-30T22:00:00Z', 0)).toEqual([]);
    expect(names(monthsUpTo('p202606'), '2026-07-01T00:00:00Z', 0)).toEqual(['p202607']);
  });

  it('starts right after a bound that is not on the first of a month, skipping no day', () => {
    const existing = [{ name: 'p_old', description: "'2026-01-15 12:00:00'" }, FUTURE];
    expect(planMonthlyPartitions(existing, new Date('2026-02-10T00:00:00Z'), 0).add).toEqual([
      { name: 'p202601', lessThan: '2026-02-01' },
      { name: 'p202602', lessThan: '2026-03-01' },
    ]);
  });

  it('reads the bounds in any order and names the catch-all partition as it is called', () => {
    const existing = [
      { name: 'p_max', description: 'MAXVALUE' },
      { name: 'p202602', description: "'2026-03-01'" },
      HISTORY,
    ];
    expect(planMonthlyPartitions(existing, new Date('2026-03-01T00:00:00Z'), 0)).toEqual({
      catchAll: 'p_max',
      add: [{ name: 'p202603', lessThan: '2026-04-01' }],
    });
  });

  it("starts at asOf's month when no partition has a bound", () => {
    expect(names([FUTURE], '2026-05-05T00:00:00Z', 1)).toEqual(['p202605', 'p202606']);
  });

  it('refuses a table it cannot split safely', () => {
    const asOf = new Date('2026-03-15T00:00:00Z');
    expect(() => planMonthlyPartitions([HISTORY], asOf, 3)).toThrow(/MAXVALUE/);
    expect(() => planMonthlyPartitions([HISTORY, FUTURE, FUTURE], asOf, 3)).toThrow(/MAXVALUE/);
    // A p202601 ending mid-month: creating p202601 again would collide.
    expect(() =>
      planMonthlyPartitions([{ name: 'p202601', description: "'2026-01-15'" }, FUTURE], asOf, 3),
    ).toThrow(/p202601 exists/);
    expect(() => planMonthlyPartitions([HISTORY, FUTURE], asOf, -1)).toThrow(/monthsAhead/);
    expect(() => planMonthlyPartitions([HISTORY, FUTURE], new Date('nope'), 3)).toThrow(/asOf/);
    expect(() =>
      planMonthlyPartitions([{ name: 'p', description: '12' }, FUTURE], asOf, 3),
    ).toThrow(/unexpected partition bound/);
  });
});

describe(parseBound.name, () => {
  it('reads the quoted bounds of MySQL 8 and MariaDB and MAXVALUE', () => {
    expect(parseBound("'2026-01-01'")).toEqual({
      ms: Date.parse('2026-01-01T00:00:00Z'),
      month: 2026 * 12,
    });
    expect(parseBound("'2026-12-31 23:59:59.500'")?.ms).toBe(Date.parse('2026-12-31T23:59:59.5Z'));
    expect(parseBound('MAXVALUE')).toBeUndefined();
  });
});

describe(reorganizeStatement.name, () => {
  it('splits the catch-all partition into the new months and itself', () => {
    expect(
      reorganizeStatement('point_transaction', {
        catchAll: 'p_future',
        add: [
          { name: 'p202601', lessThan: '2026-02-01' },
          { name: 'p202602', lessThan: '2026-03-01' },
        ],
      }),
    ).toBe(
      'ALTER TABLE point_transaction REORGANIZE PARTITION p_future INTO (' +
        "PARTITION p202601 VALUES LESS THAN ('2026-02-01'), " +
        "PARTITION p202602 VALUES LESS THAN ('2026-03-01'), " +
        'PARTITION p_future VALUES LESS THAN (MAXVALUE))',
    );
  });

  it('accepts only plain identifiers', () => {
    expect(() =>
      reorganizeStatement('point_transaction', { catchAll: 'p`; DROP', add: [] }),
    ).toThrow(/identifier/);
  });
});
