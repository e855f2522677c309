import type { ValueTransformer } from 'typeorm';

/**
 * BIGINT columns arrive from mysql2 as strings. Points and cents fit comfortably in a JS number,
 * but a value past 2^53 would silently lose digits, so it is refused instead.
 */
export function bigintToNumber(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(parsed)) {
    throw new RangeError(`BIGINT value ${String(value)} is not a safe integer`);
  }
  return parsed;
}

export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => {
    if (value !== null && value !== undefined && !Number.isSafeInteger(value)) {
      throw new RangeError(`${value} is not a safe integer for a BIGINT column`);
    }
    return value;
  },
  from: bigintToNumber,
};
