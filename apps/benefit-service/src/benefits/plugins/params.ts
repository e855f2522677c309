import { parseMoney } from '@member-system/contracts';
import { ValidationFailedException } from '@member-system/shared/errors';

/** Small readers for plugin params: each names the failing field in a 400. */

export function fail(field: string, message: string): never {
  throw new ValidationFailedException({ [`params.${field}`]: [message] });
}

/** A decimal string like "0.95", kept as hundredths; within [min, max]. */
export function hundredthsOf(
  raw: Record<string, unknown>,
  field: string,
  { min, max }: { min: number; max: number },
): number {
  const value = raw[field];
  if (typeof value !== 'string' || !/^\d{1,3}(\.\d{1,2})?$/.test(value)) {
    fail(field, `must be a decimal string like "${(min / 100).toFixed(2)}"`);
  }
  const hundredths = Math.round(Number(value) * 100);
  if (hundredths < min || hundredths > max) {
    fail(field, `must be from ${(min / 100).toFixed(2)} to ${(max / 100).toFixed(2)}`);
  }
  return hundredths;
}

/** A whole number within [min, max]. */
export function wholeNumberOf(
  raw: Record<string, unknown>,
  field: string,
  { min, max }: { min: number; max: number },
): number {
  const value = raw[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Optional money ("199.00") as cents. */
export function optionalCentsOf(raw: Record<string, unknown>, field: string): number | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(field, 'must be a decimal string with two places');
  try {
    return parseMoney(value);
  } catch {
    return fail(field, 'must be a decimal string with two places, e.g. "99.00"');
  }
}

/** Refuses params a type does not know, so a typo is not silently ignored. */
export function onlyKnown(raw: Record<string, unknown>, known: readonly string[]): void {
  for (const field of Object.keys(raw)) {
    if (!known.includes(field))
      fail(field, `is not a parameter of this type (${known.join(', ') || 'none'})`);
  }
}
