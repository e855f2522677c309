import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { RedisCircuit } from '@member-system/shared/cache';
import { AppMetrics } from '@member-system/shared/observability';
import { LOGGER, REDIS } from '@member-system/shared/service';
import { GatewayConfig } from '../config/gateway.config';
import { LocalWindowCounter } from './local-window-counter';
import { exceededOf } from './rate-limit-policy';
import type { Exceeded, Limit, RateLimitSettings, WindowCount } from './rate-limit-policy';

/**
 * Counts one request on every key and returns `count, ttl` per key. A key's window starts with its
 * first request and ends when the key expires, so Redis is the only clock all instances share.
 */
const COUNT = `
local result = {}
for _, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  table.insert(result, count)
  table.insert(result, ttl)
end
return result`;

type CountingRedis = Redis & {
  msCountRequest(numberOfKeys: number, ...keysAndWindow: Array<string | number>): Promise<unknown>;
};

export function rateLimitSettingsOf(config: GatewayConfig): RateLimitSettings {
  return {
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    perIp: config.RATE_LIMIT_PER_IP,
    perMember: config.RATE_LIMIT_PER_MEMBER,
    perAdmin: config.RATE_LIMIT_PER_ADMIN,
    perService: config.RATE_LIMIT_PER_SERVICE,
    checkInPerMember: config.RATE_LIMIT_CHECK_IN_PER_MEMBER,
    spendPerMember: config.RATE_LIMIT_SPEND_PER_MEMBER,
  };
}

/**
 * Fixed-window counters in Redis under the gateway's prefix, shared by every gateway instance.
 * Redis being down or slow never blocks traffic: the request is counted in this process instead
 * (LocalWindowCounter, the same limits per instance), with one warning per window at most. The
 * circuit skips Redis for a moment after failures in a row, so a frozen Redis costs a few requests
 * one timeout, not every request.
 */
@Injectable()
export class RateLimiter {
  readonly enabled: boolean;
  readonly settings: RateLimitSettings;
  private readonly rateLimited: Counter<'limit'>;
  private readonly local: LocalWindowCounter;
  private lastWarningAt = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly circuit: RedisCircuit,
    @Inject(LOGGER) private readonly logger: Logger,
    config: GatewayConfig,
    metrics: AppMetrics,
  ) {
    // A defined command runs by EVALSHA (the script is sent once, not with every request).
    if (!('msCountRequest' in redis)) redis.defineCommand('msCountRequest', { lua: COUNT });
    this.enabled = config.RATE_LIMIT_ENABLED;
    this.settings = rateLimitSettingsOf(config);
    this.local = new LocalWindowCounter(this.settings.windowSeconds * 1000);
    this.rateLimited = new Counter({
      name: 'ms_gateway_rate_limited_total',
      help: 'Requests refused with 429, by the limit they went over',
      labelNames: ['limit'],
      registers: [metrics.registry],
    });
  }

  /** Counts the request against every limit; the one it went over, or undefined. */
  async check(limits: readonly Limit[]): Promise<Exceeded | undefined> {
    if (!this.enabled || limits.length === 0) return undefined;
    let counts: WindowCount[];
    try {
      counts = await this.count(limits);
    } catch (error) {
      this.warnOncePerWindow(error);
      counts = this.local.count(limits.map((limit) => limit.key));
    }
    const exceeded = exceededOf(limits, counts, this.settings.windowSeconds);
    if (exceeded) this.rateLimited.inc({ limit: exceeded.limit.name });
    return exceeded;
  }

  private async count(limits: readonly Limit[]): Promise<WindowCount[]> {
    const keys = limits.map((limit) => limit.key);
    const windowMs = this.settings.windowSeconds * 1000;
    const flat = (await this.circuit.run('rate-limit', () =>
      (this.redis as CountingRedis).msCountRequest(keys.length, ...keys, windowMs),
    )) as number[];
    return keys.map((_, index) => ({
      count: Number(flat[index * 2]),
      ttlMs: Number(flat[index * 2 + 1]),
    }));
  }

  private warnOncePerWindow(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarningAt < this.settings.windowSeconds * 1000) return;
    this.lastWarningAt = now;
    this.logger.warn(
      { err: error },
      'rate limits counted per gateway instance: Redis is unavailable',
    );
  }
}
