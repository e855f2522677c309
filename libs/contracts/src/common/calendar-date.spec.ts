import { isCalendarDate } from './calendar-date';

describe(isCalendarDate.name, () => {
  it.each(['2026-12-07', '2024-02-29', '1990-01-01'])('accepts %p', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each(['2026-02-29', '2026-13-01', '2026-12-07T00:00:00Z', '2026/12/07', '', 20261207])(
    'refuses %p',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );
});
