// The platform's rules the seeded data must follow (docs/api/contract.md "Defaults", point-service PointServiceConfig,
// apps/point-service/src/ledger/point-rules.ts), and the time arithmetic of the business time zone.

export const DAY_MS = 86_400_000;

/** Asia/Shanghai, the services' BUSINESS_TIME_ZONE default: UTC+8 all year (no daylight saving). */
export const BUSINESS_OFFSET_MS = 8 * 3_600_000;

/** The ladder, multipliers and gifts of docs/api/contract.md, used where the schemas do not say otherwise. */
export const DEFAULT_LEVELS = Object.freeze([
  { id: 1, minCents: 0, multiplier: 100, birthdayGift: 0 },
  { id: 2, minCents: 100_000, multiplier: 120, birthdayGift: 100 },
  { id: 3, minCents: 500_000, multiplier: 150, birthdayGift: 300 },
  { id: 4, minCents: 2_000_000, multiplier: 180, birthdayGift: 600 },
  { id: 5, minCents: 5_000_000, multiplier: 200, birthdayGift: 1000 },
]);

export const POINT_RULES = Object.freeze({
  pointsPerYuan: 1,
  reviewPoints: 10,
  reviewDailyCap: 5,
  checkInPoints: 5,
  checkInStreakPoints: 20,
  expiryYears: 2,
  /** The expire-points job runs daily at 00:10 business time. */
  expireJobMinute: 10,
  holdTtlMs: 15 * 60_000,
});

/** docs/api/contract.md: floor(amount in yuan × points per yuan × multiplier of the level before the order). */
export function orderPoints(amountCents, multiplierHundredths) {
  return Math.floor((amountCents * POINT_RULES.pointsPerYuan * multiplierHundredths) / 10_000);
}

export function checkInPoints(streak) {
  return streak % 7 === 0 ? POINT_RULES.checkInStreakPoints : POINT_RULES.checkInPoints;
}

/** The highest level whose threshold `totalCents` reaches (levels ascending by threshold). */
export function levelFor(levels, totalCents) {
  let found = levels[0];
  for (const level of levels) if (totalCents >= level.minCents) found = level;
  return found;
}

/** Days since 1970-01-01 of the business date holding `ms`. */
export const businessDay = (ms) => Math.floor((ms + BUSINESS_OFFSET_MS) / DAY_MS);

/** `YYYY-MM-DD` of a business day number. */
export const dayText = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** UTC instant of a business wall-clock time on business day `day`. */
export const instantOf = (day, msIntoDay) => day * DAY_MS + msIntoDay - BUSINESS_OFFSET_MS;

/** The last millisecond of the business day `expiryYears` after the one holding `earnedMs` (29 Feb → 28 Feb). */
export function expiryOf(earnedMs) {
  const date = new Date(businessDay(earnedMs) * DAY_MS);
  const year = date.getUTCFullYear() + POINT_RULES.expiryYears;
  let day = date.getUTCDate();
  const month = date.getUTCMonth();
  if (month === 1 && day === 29 && new Date(Date.UTC(year, 1, 29)).getUTCMonth() !== 1) day = 28;
  return Date.UTC(year, month, day, 23, 59, 59, 999) - BUSINESS_OFFSET_MS;
}

/** When the expire-points job first sees a lot expiring at `expiresMs` as expired. */
export const expiredSeenAt = (expiresMs) => expiresMs + 1 + POINT_RULES.expireJobMinute * 60_000;
