import { createHash } from 'node:crypto';
import type { Actor } from '@member-system/contracts';

/**
 * The natural key of an admin's request: the admin and their Idempotency-Key (or the request's
 * correlation id). It fits a 64-character source id; a longer one is hashed, never cut, so two
 * long keys that share a beginning stay apart.
 */
export function adminRequestKey(admin: Pick<Actor, 'userId'>, key: string): string {
  const plain = `${admin.userId}:${key}`;
  if (plain.length <= 64) return plain;
  return `${admin.userId}:sha256:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}
