import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { RedisCircuit, createRedis } from '@member-system/shared/cache';
import { AppMetrics } from '@member-system/shared/observability';
import {
  TcpProxy,
  deleteRedisKeys,
  freePort,
  newTestRunId,
  testInfra,
  waitFor,
} from '@member-system/shared/testing';
import { GatewayConfig } from '../config/gateway.config';
import type { Limit } from './rate-limit-policy';
import { RateLimiter } from './rate-limiter';

interface Instance {
  limiter: RateLimiter;
  redis: Redis;
  metrics: AppMetrics;
  warn: jest.Mock;
}

describe(RateLimiter.name, () => {
  const prefix = `ms:${newTestRunId()}:gw:`;
  const instances: Instance[] = [];

  /** One gateway instance's limiter; all share the prefix, as replicas share Redis. */
  async function gatewayInstance(port = testInfra.redis.port): Promise<Instance> {
    const redis = createRedis({ ...testInfra.redis, port, password: '', db: 0, keyPrefix: prefix });
    if (port === testInfra.redis.port) await new Promise((resolve) => redis.once('ready', resolve));
    const warn = jest.fn();
    const logger = { warn, info: jest.fn(), error: jest.fn() } as unknown as Logger;
    const config = Object.assign(new GatewayConfig(), { RATE_LIMIT_WINDOW_SECONDS: 60 });
    const metrics = new AppMetrics('gateway');
    const instance = {
      limiter: new RateLimiter(
        redis,
        new RedisCircuit({ timeoutMs: 250, openMs: 200 }),
        logger,
        config,
        metrics,
      ),
      redis,
      metrics,
      warn,
    };
    instances.push(instance);
    return instance;
  }

  const limitOf = (max: number): Limit => ({
    name: 'member',
    key: `rate:member:${newTestRunId()}`,
    max,
  });

  afterEach(async () => {
    for (const { redis } of instances.splice(0)) redis.disconnect();
    await deleteRedisKeys(prefix);
  });

  it('shares one counter between instances and refuses the request past the limit', async () => {
    const [a, b] = [await gatewayInstance(), await gatewayInstance()];
    const limit = limitOf(3);

    const verdicts = [
      await a.limiter.check([limit]),
      await b.limiter.check([limit]),
      await a.limiter.check([limit]),
      await b.limiter.check([limit]),
    ];

    expect(verdicts.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(verdicts[3]).toEqual({ limit, retryAfterSeconds: expect.any(Number) });
    expect(verdicts[3]?.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(verdicts[3]?.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("keeps the counter under the gateway's prefix, expiring with the window", async () => {
    const { limiter, redis } = await gatewayInstance();
    const limit = limitOf(10);

    await limiter.check([limit]);

    // The client adds the prefix itself: the key as stored is `${prefix}${limit.key}`.
    expect(await redis.get(limit.key)).toBe('1');
    const raw = createRedis({ ...testInfra.redis, password: '', db: 0, keyPrefix: '' });
    try {
      await new Promise((resolve) => raw.once('ready', resolve));
      expect(await raw.exists(`${prefix}${limit.key}`)).toBe(1);
    } finally {
      raw.disconnect();
    }
    const ttl = await redis.pttl(limit.key);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('does not move the window on later requests', async () => {
    const { limiter, redis } = await gatewayInstance();
    const limit = limitOf(10);
    await limiter.check([limit]);
    await redis.pexpire(limit.key, 5_000);

    await limiter.check([limit]);

    expect(await redis.pttl(limit.key)).toBeLessThanOrEqual(5_000);
    expect(await redis.get(limit.key)).toBe('2');
  });

  it('counts every limit of a request, and a refused request on each of them', async () => {
    const { limiter, redis, metrics } = await gatewayInstance();
    const general = limitOf(100);
    const checkIn: Limit = { ...limitOf(1), name: 'check-in' };

    await limiter.check([general, checkIn]);
    const refused = await limiter.check([general, checkIn]);

    expect(refused?.limit).toBe(checkIn);
    expect(await redis.mget(general.key, checkIn.key)).toEqual(['2', '2']);
    expect(await metrics.registry.getSingleMetricAsString('ms_gateway_rate_limited_total')).toMatch(
      /ms_gateway_rate_limited_total\{limit="check-in",service="gateway"\} 1/,
    );
  });

  it('counts in this instance while Redis is unreachable, with the same limit, warning once per window', async () => {
    const { limiter, warn } = await gatewayInstance(await freePort());
    const limit = limitOf(2);

    const verdicts = await Promise.all([1, 2, 3].map(() => limiter.check([limit])));
    const later = await limiter.check([limit]);

    expect(verdicts.filter((verdict) => verdict === undefined)).toHaveLength(2);
    expect(verdicts.filter((verdict) => verdict !== undefined)).toEqual([
      { limit, retryAfterSeconds: 60 },
    ]);
    expect(later).toEqual({ limit, retryAfterSeconds: 60 });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('counts in Redis again once it answers', async () => {
    const proxy = new TcpProxy(testInfra.redis);
    const port = await proxy.start();
    try {
      const { limiter, redis } = await gatewayInstance(port);
      await waitFor(() => Promise.resolve(redis.status === 'ready'), { what: 'the connection' });
      const limit = limitOf(10);
      await proxy.stop();

      await expect(limiter.check([limit])).resolves.toBeUndefined();
      await proxy.start();
      await waitFor(
        async () => {
          await limiter.check([limit]);
          return (await redis.get(limit.key).catch(() => null)) !== null;
        },
        { what: 'the counter to be kept in Redis again' },
      );
    } finally {
      await proxy.stop();
    }
  });

  it('counts nothing when rate limiting is off', async () => {
    const redis = createRedis({ ...testInfra.redis, password: '', db: 0, keyPrefix: prefix });
    await new Promise((resolve) => redis.once('ready', resolve));
    const config = Object.assign(new GatewayConfig(), { RATE_LIMIT_ENABLED: false });
    const limiter = new RateLimiter(
      redis,
      new RedisCircuit({ timeoutMs: 250, openMs: 200 }),
      { warn: jest.fn() } as unknown as Logger,
      config,
      new AppMetrics('gateway'),
    );
    const limit = limitOf(1);
    try {
      expect(await limiter.check([limit])).toBeUndefined();
      expect(await limiter.check([limit])).toBeUndefined();
      expect(await redis.exists(limit.key)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
