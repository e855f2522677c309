import Redis from 'ioredis';
import type { HealthCheck } from '@member-system/shared/observability';

export interface RedisSettings {
  host: string;
  port: number;
  password: string;
  db: number;
  /** Every key of the app lives under its prefix (`ms:member:` …), so apps and test runs never collide. */
  keyPrefix: string;
}

/**
 * A Redis client that fails fast when Redis is down (no offline queue, one retry per command):
 * Redis never holds the truth, so callers fall back to MySQL instead of waiting.
 */
export function createRedis(settings: RedisSettings): Redis {
  return new Redis({
    host: settings.host,
    port: settings.port,
    password: settings.password || undefined,
    db: settings.db,
    keyPrefix: settings.keyPrefix,
    enableOfflineQueue: false,
    // Commands issued in the same tick go out in one write: under load, one syscall for many.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

export function redisHealthCheck(redis: Redis): HealthCheck {
  return {
    name: 'redis',
    check: async () => {
      await redis.ping();
    },
  };
}
