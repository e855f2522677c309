// Exact money and rates for the points reports: decimal strings computed with integers, never
// floats, so a finance total adds up to the cent whatever the number of points.

/** `points × pointValue` as a decimal string with pointValue's decimals (`1234 × 0.01` → `12.34`). */
export function pointsValue(points: bigint, pointValue: string): string {
  const [whole = '0', fraction = ''] = pointValue.split('.');
  const units = points * BigInt(`${whole}${fraction}`);
  return fixed(units, fraction.length);
}

/** `numerator / denominator` to 4 decimals, half up; null when the denominator is 0. */
export function rate(numerator: bigint, denominator: bigint): string | null {
  if (denominator === 0n) return null;
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const scaled = (n * 10_000n * 2n + d) / (2n * d);
  return `${negative ? '-' : ''}${fixed(scaled, 4)}`;
}

/** An integer count of 10^-scale units as a decimal string. */
function fixed(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Every month from `from` to `to` (YYYY-MM, both included). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const last = to;
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/** The UTC instants bounding months `from`..`to`: [start of from, start of the month after to). */
export function monthRange(from: string, to: string): { start: Date; end: Date } {
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  return {
    start: new Date(`${from}-01T00:00:00.000Z`),
    end: new Date(Date.UTC(toYear, toMonth, 1)),
  };
}
