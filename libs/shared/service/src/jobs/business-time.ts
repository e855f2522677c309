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

export function businessDateOf(instant: Date, timeZone: string): BusinessDate {
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
