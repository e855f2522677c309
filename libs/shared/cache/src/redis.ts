import Redis from 'ioredis';
import type { HealthIndicatorService } from '@nestjs/terminus';
import { pingIndicator } from '@member-system/shared/observability';

export interface RedisSettings {
  host: string;
  port: number;
  password: string;
  db: number;
  /** Every key of the app lives under its prefix (`ms:member:` …), so apps and test runs never collide. */
  keyPrefix: string;
}

/**
 * The longest any command may wait for Redis. A Redis that is down fails fast anyway; one that
 * hangs (frozen, or a network that drops packets) would otherwise hold every caller until the
 * socket gives up, minutes later. Callers with a tighter budget (the caches, the rate limiter)
 * set their own shorter one.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

/**
 * A Redis client that fails fast when Redis is down or hangs (no offline queue, one retry per
 * command, a timeout on every command): Redis never holds the truth, so callers fall back to
 * MySQL, or answer 503 where Redis is needed (idempotency keys), instead of waiting.
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
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/** Readiness of the app's Redis client: a PING, which the client's command timeout bounds too. */
export function redisIndicator(health: HealthIndicatorService, redis: Redis) {
  return pingIndicator(health, 'redis', () => redis.ping());
}
