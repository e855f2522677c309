import {
  businessDateOf,
  businessMinuteOfDay,
  formatBusinessDate,
  isLeapYear,
} from './business-time';

describe(businessDateOf.name, () => {
  it('reads the calendar date in the business time zone, not in UTC', () => {
    expect(
      formatBusinessDate(businessDateOf(new Date('2026-05-05T15:59:59Z'), 'Asia/Shanghai')),
    ).toBe('2026-05-05');
    expect(
      formatBusinessDate(businessDateOf(new Date('2026-05-05T16:00:00Z'), 'Asia/Shanghai')),
    ).toBe('2026-05-06');
    expect(formatBusinessDate(businessDateOf(new Date('2026-12-31T23:30:00Z'), 'UTC'))).toBe(
      '2026-12-31',
    );
  });
});

describe(businessMinuteOfDay.name, () => {
  it('counts minutes since local midnight', () => {
    expect(businessMinuteOfDay(new Date('2026-05-05T16:05:00Z'), 'Asia/Shanghai')).toBe(5);
    expect(businessMinuteOfDay(new Date('2026-05-05T15:59:00Z'), 'Asia/Shanghai')).toBe(
      23 * 60 + 59,
    );
  });
});

describe(isLeapYear.name, () => {
  it('follows the Gregorian rules', () => {
    expect([2024, 2028, 2000].map(isLeapYear)).toEqual([true, true, true]);
    expect([2026, 2100, 1900].map(isLeapYear)).toEqual([false, false, false]);
  });
});
