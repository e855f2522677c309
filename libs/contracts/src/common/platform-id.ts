import { Matches } from 'class-validator';

/**
 * Ids that other platform services give their orders, refunds and reviews (and the sourceId of a
 * bulk credit): opaque to the member system, kept exactly as given and compared case-sensitively,
 * so `SO-2026-000123`, a UUID and `9001` all work and `so-1` is another order than `SO-1`. The
 * databases store them as `VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin`.
 */
export const PLATFORM_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** What a field's OpenAPI schema says of a platform id, to spread into `@ApiProperty`. */
export const PLATFORM_ID_API = {
  type: String,
  pattern: PLATFORM_ID_PATTERN.source,
  minLength: 1,
  maxLength: 64,
} as const;

export function isPlatformId(value: unknown): value is string {
  return typeof value === 'string' && PLATFORM_ID_PATTERN.test(value);
}

/**
 * A platform id: 1–64 characters of `A–Z a–z 0–9 . _ : -`. The exported event schemas show it as
 * this pattern (class-validator-jsonschema turns `Matches` into `pattern`).
 */
export function IsPlatformId(): PropertyDecorator {
  return Matches(PLATFORM_ID_PATTERN, {
    message: '$property must be 1-64 characters of A-Z a-z 0-9 . _ : -',
  });
}
