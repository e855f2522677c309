import Redis from 'ioredis';
import { Registry } from 'prom-client';
import {
  TcpProxy,
  newTestRunId,
  testInfra,
  testLogger,
  waitFor,
} from '@member-system/shared/testing';
import { TwoLevelCache, createRedis } from '../src';
import type { CacheNamespaceOptions, TwoLevelCacheOptions } from '../src';

interface MemberInfo {
  id: string;
  nickname: string;
  level: number;
}

const INFO: CacheNamespaceOptions<MemberInfo> = { redisTtlSeconds: 3600 };

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(TwoLevelCache.name, () => {
  const runId = newTestRunId();
  const logger = testLogger();
  const raw = new Redis({ ...testInfra.redis, lazyConnect: true });
  const opened: Array<{ cache?: TwoLevelCache; client?: Redis; proxy?: TcpProxy }> = [];
  let testNumber = 0;
  /** Each test has its own prefix (and so its own invalidation channel) under the run's. */
  let prefix: string;
  /** What MySQL would return: the loaders read it. */
  let database: Map<string, MemberInfo>;

  beforeAll(async () => {
    await raw.connect();
  });

  beforeEach(() => {
    testNumber += 1;
    prefix = `ms:${runId}:${testNumber}:`;
    database = new Map([
      ['1', { id: '1', nickname: 'Ann', level: 1 }],
      ['2', { id: '2', nickname: 'Bob', level: 2 }],
    ]);
  });

  afterEach(async () => {
    for (const { cache, client, proxy } of opened.splice(0).reverse()) {
      cache?.close();
      client?.disconnect();
      await proxy?.stop();
    }
  });

  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `ms:${runId}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await raw.del(...keys);
    } while (cursor !== '0');
    raw.disconnect();
  });

  function client(port = testInfra.redis.port): Redis {
    const redis = createRedis({ host: '127.0.0.1', port, password: '', db: 0, keyPrefix: prefix });
    redis.on('error', () => undefined); // the outage tests mean it
    opened.push({ client: redis });
    return redis;
  }

  async function instance(
    instanceId: string,
    options: Partial<TwoLevelCacheOptions> = {},
    { subscribe = true } = {},
  ): Promise<TwoLevelCache> {
    // A generous Redis timeout: a busy test machine must not turn a slow reply into a skipped
    // write these tests then look for (timeouts have tests of their own).
    const cache = new TwoLevelCache({
      redis: client(),
      instanceId,
      logger,
      redisTimeoutMs: 5_000,
      ...options,
    });
    opened.push({ cache });
    if (subscribe) await expect(cache.start()).resolves.toBe(true);
    return cache;
  }

  function loaderFor(id: string): jest.Mock<Promise<MemberInfo | null>, []> {
    return jest.fn(() => Promise.resolve(structuredClone(database.get(id) ?? null)));
  }

  async function requests(registry: Registry): Promise<Record<string, number>> {
    const metric = registry.getSingleMetric('ms_cache_requests_total');
    const { values } = await metric!.get();
    return Object.fromEntries(
      values.map(({ labels, value }) => [`${labels['cache']}/${labels['result']}`, value]),
    );
  }

  it('serves a repeat from the local level and another instance from Redis, stored with its TTL', async () => {
    const registry = new Registry();
    const a = (await instance('A', { registry })).namespace('member:info', INFO);
    const b = (await instance('B', { registry })).namespace('member:info', INFO);
    const loadA = loaderFor('1');
    const loadB = loaderFor('1');

    await expect(a.get('1', loadA)).resolves.toEqual(database.get('1'));
    await expect(a.get('1', loadA)).resolves.toEqual(database.get('1'));
    await expect(b.get(1, loadB)).resolves.toEqual(database.get('1'));
    await expect(b.get(1, loadB)).resolves.toEqual(database.get('1'));

    expect(loadA).toHaveBeenCalledTimes(1);
    expect(loadB).not.toHaveBeenCalled();
    await expect(raw.get(`${prefix}member:info:1`)).resolves.toBe(
      JSON.stringify(database.get('1')),
    );
    const ttl = await raw.ttl(`${prefix}member:info:1`);
    expect(ttl).toBeGreaterThan(3600 * 0.9 - 5);
    expect(ttl).toBeLessThanOrEqual(3600);
    await expect(requests(registry)).resolves.toEqual({
      'member:info/miss': 1,
      'member:info/local_hit': 2,
      'member:info/redis_hit': 1,
    });
    expect(await registry.metrics()).toMatch(/member_cache_hit_ratio\{cache="member:info"\} 0\.75/);
  });

  it("drops instance B's local copy as soon as instance A invalidates", async () => {
    const a = (await instance('A')).namespace('member:info', INFO);
    const b = (await instance('B')).namespace('member:info', INFO);
    await a.get('1', loaderFor('1'));
    await b.get('1', loaderFor('1'));
    expect(b.peek('1')).toEqual({ id: '1', nickname: 'Ann', level: 1 });

    database.set('1', { id: '1', nickname: 'Ann', level: 3 });
    await a.invalidate('1');

    expect(a.peek('1')).toBeUndefined();
    await expect(raw.exists(`${prefix}member:info:1`)).resolves.toBe(0);
    await waitFor(() => b.peek('1') === undefined, { timeoutMs: 2000, what: 'B to drop 1' });
    await expect(b.get('1', loaderFor('1'))).resolves.toEqual({
      id: '1',
      nickname: 'Ann',
      level: 3,
    });
  });

  it('broadcasts nothing for a namespace no instance keeps locally, and still invalidates Redis', async () => {
    const listener = new Redis(testInfra.redis);
    opened.push({ client: listener });
    const heard: string[] = [];
    listener.on('message', (_channel: string, message: string) => heard.push(message));
    await listener.subscribe(`${prefix}cache:invalidate`);
    const cache = await instance('A');
    const sharedOnly = cache.namespace('member:points', { redisTtlSeconds: 300, localTtlMs: 0 });
    const info = cache.namespace('member:info', INFO);
    await sharedOnly.get('1', loaderFor('1'));
    await expect(raw.exists(`${prefix}member:points:1`)).resolves.toBe(1);

    database.set('1', { id: '1', nickname: 'Ann', level: 3 });
    await Promise.all([sharedOnly.invalidateMany(['1', '2']), info.invalidate('2')]);

    await expect(raw.exists(`${prefix}member:points:1`)).resolves.toBe(0);
    await expect(raw.exists(`${prefix}cache-fence:key:member:points:1`)).resolves.toBe(1);
    await expect(sharedOnly.get('1', loaderFor('1'))).resolves.toEqual(database.get('1'));
    await waitFor(() => heard.length > 0, { timeoutMs: 2000, what: 'the member:info broadcast' });
    expect(heard.map((message) => (JSON.parse(message) as { ns: string }).ns)).toEqual([
      'member:info',
    ]);
  });

  it('gives each of 10 concurrent callers served by one Redis read its own copy', async () => {
    const registry = new Registry();
    const shared: CacheNamespaceOptions<MemberInfo> = { redisTtlSeconds: 300, localTtlMs: 0 };
    await (await instance('A')).namespace('member:info', shared).get('2', loaderFor('2'));
    const info = (await instance('B', { registry })).namespace('member:info', shared);
    const loader = loaderFor('2');

    const values = await Promise.all(Array.from({ length: 10 }, () => info.get('2', loader)));

    expect(loader).not.toHaveBeenCalled();
    expect(values).toEqual(Array(10).fill(database.get('2')));
    expect(new Set(values).size).toBe(10);
    values[0]!.nickname = 'changed by a caller';
    expect(values.slice(1).every((value) => value!.nickname === 'Bob')).toBe(true);
    await expect(info.get('2', loader)).resolves.toEqual(database.get('2'));
    await expect(requests(registry)).resolves.toEqual({ 'member:info/redis_hit': 11 });
  });

  it('calls the loader once for 20 concurrent misses and gives each caller its own copy', async () => {
    const registry = new Registry();
    const info = (await instance('A', { registry })).namespace('member:info', INFO);
    const gate = deferred<void>();
    const loader = jest.fn(async () => {
      await gate.promise;
      return structuredClone(database.get('2') ?? null);
    });

    const reads = Array.from({ length: 20 }, () => info.get('2', loader));
    await sleep(20);
    gate.resolve();
    const values = await Promise.all(reads);

    expect(loader).toHaveBeenCalledTimes(1);
    expect(values).toEqual(Array(20).fill(database.get('2')));
    values[0]!.nickname = 'changed by a caller';
    expect(values[1]!.nickname).toBe('Bob');
    await expect(info.get('2', loader)).resolves.toEqual(database.get('2'));
    await expect(requests(registry)).resolves.toEqual({
      'member:info/miss': 20,
      'member:info/local_hit': 1,
    });
  });

  it('does not cache what a load read before an invalidation that overtook it', async () => {
    const a = (await instance('A')).namespace('member:info', INFO);
    const b = (await instance('B')).namespace('member:info', INFO);
    await b.get('2', loaderFor('2')); // a local copy on B that shows when the broadcast arrived
    const stale = structuredClone(database.get('1')!);
    const gate = deferred<void>();
    const slowLoad = b.get('1', async () => {
      await gate.promise;
      return stale;
    });
    await sleep(20);

    database.set('1', { ...stale, level: 4 });
    await a.invalidateMany(['1', '2']);
    await waitFor(() => b.peek('2') === undefined, { timeoutMs: 2000, what: 'the broadcast' });
    gate.resolve();

    await expect(slowLoad).resolves.toEqual(stale); // it started before the write
    expect(b.peek('1')).toBeUndefined();
    await expect(raw.exists(`${prefix}member:info:1`)).resolves.toBe(0);
    await expect(b.get('1', loaderFor('1'))).resolves.toMatchObject({ level: 4 });
  });

  it('keeps a stale load out of Redis even when the broadcast has not reached its instance', async () => {
    const a = (await instance('A')).namespace('member:info', INFO);
    // Never subscribed: B hears no broadcast at all, only the Redis fence stands in the way.
    const b = (await instance('B', {}, { subscribe: false })).namespace('member:info', INFO);
    const stale = structuredClone(database.get('1')!);
    const gate = deferred<void>();
    const slowLoad = b.get('1', async () => {
      await gate.promise;
      return stale;
    });
    await sleep(20);

    await a.invalidate('1');
    gate.resolve();

    await expect(slowLoad).resolves.toEqual(stale);
    await expect(raw.exists(`${prefix}member:info:1`)).resolves.toBe(0);
    expect(b.peek('1')).toBeUndefined();
  });

  it('invalidates a whole namespace in Redis and in every instance', async () => {
    const a = (await instance('A')).namespace('member:level', { redisTtlSeconds: 86_400 });
    const cacheB = await instance('B');
    const b = cacheB.namespace('member:level', { redisTtlSeconds: 86_400 });
    const other = cacheB.namespace('member:levels-other', { redisTtlSeconds: 60 });
    await Promise.all(['1', '2'].map((id) => b.get(id, loaderFor(id))));
    await other.get('1', loaderFor('1'));

    await a.invalidateAll();

    await expect(raw.exists(`${prefix}member:level:1`, `${prefix}member:level:2`)).resolves.toBe(0);
    await expect(raw.exists(`${prefix}member:levels-other:1`)).resolves.toBe(1);
    await waitFor(() => b.peek('1') === undefined && b.peek('2') === undefined, {
      timeoutMs: 2000,
      what: 'B to drop its levels',
    });
    expect(other.peek('1')).toBeDefined();
  });

  it('preloads keys with warm, so reads do not call the loader', async () => {
    const a = (await instance('A')).namespace('member:level', { redisTtlSeconds: 86_400 });
    const b = (await instance('B')).namespace('member:level', { redisTtlSeconds: 86_400 });

    await a.warm(['1', '2'], (ids) =>
      Promise.resolve(new Map(ids.map((id) => [id, database.get(id)!]))),
    );

    expect(a.peek('2')).toEqual(database.get('2'));
    const loader = loaderFor('1');
    await expect(b.get('1', loader)).resolves.toEqual(database.get('1'));
    expect(loader).not.toHaveBeenCalled();
    const ttl = await raw.ttl(`${prefix}member:level:2`);
    expect(ttl).toBeGreaterThan(86_400 * 0.9 - 5);
  });

  it('caches an unknown id only when asked, and only for the short null TTL', async () => {
    const cache = await instance('A');
    const plain = cache.namespace('member:info', INFO);
    const negative = cache.namespace('member:discount', {
      redisTtlSeconds: 600,
      nullTtlSeconds: 5,
    });
    const missingPlain = loaderFor('404');
    const missingNegative = loaderFor('404');

    await expect(plain.get('404', missingPlain)).resolves.toBeNull();
    await expect(plain.get('404', missingPlain)).resolves.toBeNull();
    await expect(negative.get('404', missingNegative)).resolves.toBeNull();
    await expect(negative.get('404', missingNegative)).resolves.toBeNull();

    expect(missingPlain).toHaveBeenCalledTimes(2);
    expect(missingNegative).toHaveBeenCalledTimes(1);
    await expect(raw.exists(`${prefix}member:info:404`)).resolves.toBe(0);
    const ttl = await raw.pttl(`${prefix}member:discount:404`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('treats a value Redis holds that no longer deserializes as a miss', async () => {
    const info = (await instance('A')).namespace('member:info', INFO);
    await raw.set(`${prefix}member:info:1`, '{not json', 'EX', 60);
    const loader = loaderFor('1');

    await expect(info.get('1', loader)).resolves.toEqual(database.get('1'));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  it('with Redis unreachable, reads come from the loader and invalidations do not throw', async () => {
    const registry = new Registry();
    // Nothing listens on port 1. createRedis's settings, and a short disconnectTimeout (inherited by
    // the subscriber) so that ioredis does not hold Jest for 2 s closing a never-connected stream.
    const redis = new Redis({
      host: '127.0.0.1',
      port: 1,
      keyPrefix: prefix,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      disconnectTimeout: 50,
    });
    redis.on('error', () => undefined);
    opened.push({ client: redis });
    const cache = new TwoLevelCache({ redis, instanceId: 'A', logger, registry });
    opened.push({ cache });
    const started = Date.now();
    await expect(cache.start(300)).resolves.toBe(false);
    const info = cache.namespace('member:info', INFO);
    const loader = loaderFor('1');

    await expect(info.get('1', loader)).resolves.toEqual(database.get('1'));
    await expect(info.get('1', loader)).resolves.toEqual(database.get('1'));
    await expect(info.invalidate('1')).resolves.toBeUndefined();
    await expect(info.invalidateAll()).resolves.toBeUndefined();
    await expect(
      info.warm(['2'], () => Promise.resolve(new Map([['2', database.get('2')!]]))),
    ).resolves.toBeUndefined();

    expect(loader).toHaveBeenCalledTimes(2); // no local level while broadcasts cannot arrive
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(requests(registry)).resolves.toEqual({ 'member:info/miss': 2 });
    const errors = await registry.getSingleMetric('ms_cache_redis_errors_total')!.get();
    expect(errors.values.map(({ labels }) => labels['operation']).sort()).toEqual([
      'invalidate',
      'invalidate_all',
      'read',
      'warm',
    ]);
  });

  it('a slow Redis costs a read no more than the timeout', async () => {
    const proxy = new TcpProxy(testInfra.redis);
    opened.push({ proxy });
    const port = await proxy.start();
    const redis = client(port);
    const cache = new TwoLevelCache({ redis, instanceId: 'A', logger, redisTimeoutMs: 100 });
    opened.push({ cache });
    await expect(cache.start()).resolves.toBe(true);
    const info = cache.namespace('member:info', { ...INFO, localTtlMs: 0 });
    await info.get('1', loaderFor('1'));

    proxy.stall();
    const started = Date.now();
    database.set('1', { id: '1', nickname: 'Ann', level: 5 });
    const loader = loaderFor('1');
    await expect(info.get('1', loader)).resolves.toMatchObject({ level: 5 });
    await expect(info.invalidate('1')).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    proxy.resume();

    // The timed-out invalidation is retried: Redis ends up without the old value.
    await waitFor(async () => (await raw.exists(`${prefix}member:info:1`)) === 0, {
      timeoutMs: 5000,
      what: 'the retried invalidation',
    });
  });

  it('fails a plain command of a Redis that hangs with a timeout instead of waiting for it', async () => {
    // What the idempotency keys rely on: a frozen Redis must turn into a 503, not a hung request.
    const proxy = new TcpProxy(testInfra.redis);
    opened.push({ proxy });
    const redis = client(await proxy.start());
    await waitFor(() => Promise.resolve(redis.status === 'ready'), {
      timeoutMs: 5000,
      what: 'the connection',
    });
    await redis.set('probe', '1');

    proxy.stall();
    await expect(redis.get('probe')).rejects.toThrow(/timed out/i);
    proxy.resume();
    await expect(redis.get('probe')).resolves.toBe('1');
  });

  it('applies the invalidations Redis missed once it is back, and resubscribes', async () => {
    const proxy = new TcpProxy(testInfra.redis);
    opened.push({ proxy });
    const port = await proxy.start();
    const cacheA = new TwoLevelCache({
      redis: client(port),
      instanceId: 'A',
      logger,
      retryIntervalMs: 200,
    });
    opened.push({ cache: cacheA });
    await expect(cacheA.start()).resolves.toBe(true);
    const a = cacheA.namespace('member:info', INFO);
    const b = (await instance('B')).namespace('member:info', INFO);
    await a.get('1', loaderFor('1'));
    await b.get('1', loaderFor('1'));
    expect(a.peek('1')).toBeDefined();

    await proxy.stop();
    await waitFor(() => !cacheA.isSubscribed, { timeoutMs: 2000, what: 'A to see the outage' });
    expect(a.peek('1')).toBeUndefined(); // no local level while broadcasts cannot arrive
    database.set('1', { id: '1', nickname: 'Ann', level: 6 });
    await expect(a.invalidate('1')).resolves.toBeUndefined();
    await expect(a.get('1', loaderFor('1'))).resolves.toMatchObject({ level: 6 });
    await expect(raw.exists(`${prefix}member:info:1`)).resolves.toBe(1); // Redis missed it

    await proxy.start(); // same port: ioredis reconnects by itself
    await waitFor(async () => (await raw.exists(`${prefix}member:info:1`)) === 0, {
      timeoutMs: 10_000,
      what: 'the pending invalidation to reach Redis',
    });
    await waitFor(() => b.peek('1') === undefined, { timeoutMs: 2000, what: 'B to drop 1' });
    await expect(b.get('1', loaderFor('1'))).resolves.toMatchObject({ level: 6 });
    await waitFor(() => cacheA.isSubscribed, { timeoutMs: 10_000, what: 'A to resubscribe' });
    await a.get('1', loaderFor('1'));
    expect(a.peek('1')).toMatchObject({ level: 6 });
  });

  it('rejects namespaces whose keys would overlap', async () => {
    const cache = await instance('A', {}, { subscribe: false });
    cache.namespace('member:event', { redisTtlSeconds: 3600 });
    cache.namespace('member:events', { redisTtlSeconds: 1800 });

    expect(() => cache.namespace('member', { redisTtlSeconds: 1 })).toThrow(/overlaps/);
    expect(() => cache.namespace('member:event:x', { redisTtlSeconds: 1 })).toThrow(/overlaps/);
    expect(() => cache.namespace('member:event', { redisTtlSeconds: 1 })).toThrow(/overlaps/);
    expect(() => cache.namespace('member info*', { redisTtlSeconds: 1 })).toThrow(/invalid/);
  });
});
