import { businessMonthOf, monthsAround } from './holdings';

describe(monthsAround.name, () => {
  it('gives the month before and the month after, across a year', () => {
    expect(monthsAround('2026-05')).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(monthsAround('2026-01')).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(monthsAround('2025-12')).toEqual(['2025-11', '2025-12', '2026-01']);
  });
});

describe(businessMonthOf.name, () => {
  it('takes the month of the business time zone, not of UTC', () => {
    expect(businessMonthOf(new Date('2026-04-30T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-04');
    expect(businessMonthOf(new Date('2026-04-30T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-05');
    expect(businessMonthOf(new Date('2025-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-01');
  });
});
