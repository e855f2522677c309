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

  it('answers a repeat from memory exactly as the calendar does, each caller its own copy', () => {
    const zones = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Asia/Kathmandu', 'Europe/London'];
    // Around midnight and the DST changes of 2026, at second and millisecond steps, twice each.
    const starts = ['2026-05-05T15:59:58Z', '2026-03-08T04:59:58Z', '2026-10-25T00:59:58Z'];
    for (const zone of zones) {
      const calendar = new Intl.DateTimeFormat('en-CA', { timeZone: zone, dateStyle: 'short' });
      for (const start of starts) {
        for (let step = 0; step < 4_000; step += 250) {
          const instant = new Date(Date.parse(start) + step);
          const first = businessDateOf(instant, zone);
          const again = businessDateOf(instant, zone);
          expect(formatBusinessDate(first)).toBe(calendar.format(instant));
          expect(again).toEqual(first);
          expect(again).not.toBe(first);
        }
      }
    }
    const instant = new Date('2026-05-05T16:00:00Z');
    expect(formatBusinessDate(businessDateOf(instant, 'Asia/Shanghai'))).toBe('2026-05-06');
    expect(formatBusinessDate(businessDateOf(instant, 'UTC'))).toBe('2026-05-05');
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
