import { LruCache } from '@member-system/shared/cache';
import { businessDateOf } from '@member-system/shared/service';

/** `1:1.0,2:1.2` → multiplier by level id, kept as hundredths so arithmetic stays in integers. */
export function parseMultipliers(value: string): Map<number, number> {
  return new Map(
    value.split(',').map((pair) => {
      const [level = '', multiplier = ''] = pair.split(':').map((part) => part.trim());
      return [Number(level), Math.round(Number(multiplier) * 100)];
    }),
  );
}

/** docs/api/contract.md: floor(amount in yuan × points per yuan × multiplier of the level before the order). */
export function orderPoints(
  amountCents: number,
  pointsPerYuan: number,
  multiplierHundredths: number,
): number {
  return Math.floor((amountCents * pointsPerYuan * multiplierHundredths) / 10_000);
}

/** The 7th, 14th, … consecutive day earns the streak bonus instead of the daily points. */
export function checkInPoints(streak: number, daily: number, streakBonus: number): number {
  return streak % 7 === 0 ? streakBonus : daily;
}

/** The last millisecond of the business day `years` after `earnedAt` (docs/api/contract.md: "at the end of that day"). */
export function expiryOf(earnedAt: Date, years: number, timeZone: string): Date {
  const day = businessDateOf(earnedAt, timeZone);
  const target = { year: day.year + years, month: day.month, day: day.day };
  if (target.month === 2 && target.day === 29 && !isValidDate(target.year, 2, 29)) target.day = 28;
  return localInstant(target.year, target.month, target.day, [23, 59, 59, 999], timeZone);
}

/** Midnight at the start of the business day that holds `instant`. */
export function startOfBusinessDay(instant: Date, timeZone: string): Date {
  const day = businessDateOf(instant, timeZone);
  return localInstant(day.year, day.month, day.day, [0, 0, 0, 0], timeZone);
}

/**
 * The instants asked for lately: every credit of a business day asks for the same expiry, and
 * finding a zone's offset formats a date (a few percent of point-service's CPU in check-ins).
 */
const recentInstants = new LruCache<number>({ maxEntries: 64, ttlMs: Number.POSITIVE_INFINITY });

function localInstant(
  year: number,
  month: number,
  day: number,
  [hours, minutes, seconds, ms]: [number, number, number, number],
  timeZone: string,
): Date {
  const guess = Date.UTC(year, month - 1, day, hours, minutes, seconds, ms);
  const key = `${timeZone} ${guess}`;
  let instant = recentInstants.get(key);
  if (instant === undefined) {
    instant = guess - offsetMs(new Date(guess), timeZone);
    recentInstants.set(key, instant);
  }
  return new Date(instant);
}

function isValidDate(year: number, month: number, day: number): boolean {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
}

/** One wall-clock formatter per time zone: making one costs far more than using it. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClockOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = wallClocks.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, formatter);
  }
  return formatter;
}

/** How far the zone's wall clock is ahead of UTC at `instant`. */
function offsetMs(instant: Date, timeZone: string): number {
  const parts = wallClockOf(timeZone).formatToParts(instant);
  const part = (type: string): number => Number(parts.find((entry) => entry.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}
