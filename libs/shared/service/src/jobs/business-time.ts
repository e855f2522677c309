/** Calendar arithmetic in the business time zone (default Asia/Shanghai), without a date library. */
export interface BusinessDate {
  year: number;
  month: number;
  day: number;
}

/**
 * One formatter per kind and time zone: making an Intl.DateTimeFormat costs far more than using
 * one (it was a seventh of benefit-service's CPU time in a quote, made on every call).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(
  kind: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
  locale: string,
): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * The dates of the last few seconds asked for, per time zone: a busy service asks for "today" in
 * every command, and formatting costs microseconds each time. Keyed by the whole second, as every
 * zone's offset is a whole number of seconds, so a date can only change on a second's boundary.
 */
const recentDates = new Map<string, BusinessDate>();
const RECENT_DATES_KEPT = 64;

export function businessDateOf(instant: Date, timeZone: string): BusinessDate {
  const key = `${timeZone} ${Math.floor(instant.getTime() / 1000)}`;
  let date = recentDates.get(key);
  if (!date) {
    date = formattedDateOf(instant, timeZone);
    if (recentDates.size >= RECENT_DATES_KEPT) recentDates.clear();
    recentDates.set(key, date);
  }
  return { ...date };
}

function formattedDateOf(instant: Date, timeZone: string): BusinessDate {
  const parts = formatterOf(
    'date',
    timeZone,
    { year: 'numeric', month: '2-digit', day: '2-digit' },
    'en-CA',
  ).formatToParts(instant);
  const value = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
  return { year: value('year'), month: value('month'), day: value('day') };
}

export function formatBusinessDate(date: BusinessDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Minutes since local midnight in the time zone. */
export function businessMinuteOfDay(instant: Date, timeZone: string): number {
  const parts = formatterOf(
    'time',
    timeZone,
    { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    'en-GB',
  ).formatToParts(instant);
  const value = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
  return value('hour') * 60 + value('minute');
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
