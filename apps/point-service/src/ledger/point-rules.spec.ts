import { checkInPoints, expiryOf, orderPoints, parseMultipliers } from './point-rules';

describe(orderPoints.name, () => {
  const multipliers = parseMultipliers('1:1.0,2:1.2,3:1.5,4:1.8,5:2.0');

  it('floors yuan × multiplier of the level', () => {
    expect(orderPoints(19_999, 1, multipliers.get(1) ?? 0)).toBe(199);
    expect(orderPoints(19_999, 1, multipliers.get(2) ?? 0)).toBe(239);
    expect(orderPoints(100_000, 1, multipliers.get(5) ?? 0)).toBe(2000);
    expect(orderPoints(99, 1, multipliers.get(5) ?? 0)).toBe(1);
    expect(orderPoints(49, 1, multipliers.get(1) ?? 0)).toBe(0);
  });
});

describe(checkInPoints.name, () => {
  it('gives the streak bonus on every 7th consecutive day', () => {
    expect([1, 6, 7, 8, 14, 21].map((streak) => checkInPoints(streak, 5, 20))).toEqual([
      5, 5, 20, 5, 20, 20,
    ]);
  });
});

describe(expiryOf.name, () => {
  it('ends at the end of the business day two years on', () => {
    // 2026-05-05T20:00Z is already 6 May in Shanghai.
    expect(expiryOf(new Date('2026-05-05T20:00:00Z'), 2, 'Asia/Shanghai').toISOString()).toBe(
      '2028-05-06T15:59:59.999Z',
    );
    expect(expiryOf(new Date('2026-05-05T10:00:00Z'), 2, 'UTC').toISOString()).toBe(
      '2028-05-05T23:59:59.999Z',
    );
  });

  it('moves 29 February to the 28th when the target year has none', () => {
    expect(expiryOf(new Date('2028-02-29T04:00:00Z'), 2, 'Asia/Shanghai').toISOString()).toBe(
      '2030-02-28T15:59:59.999Z',
    );
  });

  it('answers a remembered day per time zone, as a Date of its own each time', () => {
    const earnedAt = new Date('2026-05-05T10:00:00Z');
    const first = expiryOf(earnedAt, 2, 'Asia/Shanghai');
    first.setTime(0);
    expect(expiryOf(earnedAt, 2, 'Asia/Shanghai').toISOString()).toBe('2028-05-05T15:59:59.999Z');
    expect(expiryOf(earnedAt, 2, 'America/New_York').toISOString()).toBe(
      '2028-05-06T03:59:59.999Z',
    );
  });
});
