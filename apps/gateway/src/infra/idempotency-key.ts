import { ValidationFailedException } from '@member-system/shared/errors';

/** The Idempotency-Key header (docs/api/contract.md: 1–128 visible characters), or a 400 naming it. */
export function checkedIdempotencyKey(key: string | undefined): string | undefined {
  if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new ValidationFailedException({
      'Idempotency-Key': ['must be 1-128 visible characters'],
    });
  }
  return key;
}
