import { monthRange, monthsBetween, pointsValue, rate } from './report-figures';

describe(pointsValue.name, () => {
  it('values points exactly at the configured decimals', () => {
    expect(pointsValue(1234n, '0.01')).toBe('12.34');
    expect(pointsValue(3n, '0.10')).toBe('0.30');
    expect(pointsValue(0n, '0.01')).toBe('0.00');
    expect(pointsValue(7n, '2')).toBe('14');
    expect(pointsValue(123_456_789_012_345n, '0.000001')).toBe('123456789.012345');
  });
});

describe(rate.name, () => {
  it('divides to 4 decimals, half up, and answers null over nothing', () => {
    expect(rate(1n, 3n)).toBe('0.3333');
    expect(rate(2n, 3n)).toBe('0.6667');
    expect(rate(1n, 20_000n)).toBe('0.0001');
    expect(rate(3n, 3n)).toBe('1.0000');
    expect(rate(0n, 5n)).toBe('0.0000');
    expect(rate(-1n, 4n)).toBe('-0.2500');
    expect(rate(5n, 0n)).toBeNull();
  });
});

describe(monthsBetween.name, () => {
  it('lists every month of the range across a year end', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(monthsBetween('2026-05', '2026-05')).toEqual(['2026-05']);
    expect(monthsBetween('2026-05', '2026-04')).toEqual([]);
  });
});

describe(monthRange.name, () => {
  it('bounds the months in UTC, the end excluded', () => {
    expect(monthRange('2026-11', '2026-12')).toEqual({
      start: new Date('2026-11-01T00:00:00.000Z'),
      end: new Date('2027-01-01T00:00:00.000Z'),
    });
  });
});
