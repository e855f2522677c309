import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@member-system/shared/service';

/** What a key holds: the first request's fingerprint, and its answer once there is one. */
export type IdempotencyRecord =
  | { state: 'in-flight'; fingerprint: string }
  // The status of a replay is the route's own, as the first answer's was.
  | { state: 'done'; fingerprint: string; body: unknown }
  | {
      state: 'failed';
      fingerprint: string;
      status: number;
      error: { code: string; message: string; details?: Record<string, unknown> };
    };

/** Claims the key for a new request unless it holds something already, in one step. */
const BEGIN = `
local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/**
 * Idempotency keys in Redis, under the gateway's prefix, so every gateway instance sees them.
 * A key is claimed while its request runs (for at most the in-flight time, in case an instance
 * dies mid-request) and then keeps the answer for the retention period.
 */
@Injectable()
export class IdempotencyStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Undefined when this request claimed the key; otherwise what the key holds. */
  async begin(
    key: string,
    fingerprint: string,
    inFlightMs: number,
  ): Promise<IdempotencyRecord | undefined> {
    const claim: IdempotencyRecord = { state: 'in-flight', fingerprint };
    const held = (await this.redis.eval(BEGIN, 1, key, JSON.stringify(claim), inFlightMs)) as
      string | null;
    return held ? (JSON.parse(held) as IdempotencyRecord) : undefined;
  }

  async finish(key: string, record: IdempotencyRecord, retentionMs: number): Promise<void> {
    await this.redis.set(key, JSON.stringify(record), 'PX', retentionMs);
  }

  /** Forgets a claim whose request had no definite answer (the caller may try again). */
  async release(key: string): Promise<void> {
    await this.redis.del(key);
  }
}
