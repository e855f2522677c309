import type { CacheResult } from './cache-metrics';
import { LruCache } from './lru-cache';
import type { Fences, RedisLevel } from './redis-level';
import { SingleFlight } from './single-flight';
import type { Flight } from './single-flight';

export type CacheKey = string | number;

export interface CacheNamespaceOptions<T> {
  /** TTL of the Redis level (the seed's: member:info 3600, member:points 300, …). */
  redisTtlSeconds: number;
  /** Each Redis TTL is shortened by up to this fraction at random, so keys warmed together do not expire together. Default 0.1. */
  redisTtlJitter?: number;
  /** TTL of the in-process level; 0 turns it off for this namespace. Default 30 000 ms. */
  localTtlMs?: number;
  /** Size bound of the in-process level. Default 10 000. */
  localMaxEntries?: number;
  /** Cache a loader's `null` (an unknown id) this long in both levels; 0 (default) does not cache it. */
  nullTtlSeconds?: number;
  /** Default JSON.stringify; every read returns a fresh `deserialize` of this, so callers may mutate what they get. */
  serialize?: (value: T) => string;
  /** Default JSON.parse. A value Redis holds that no longer deserializes counts as a miss. */
  deserialize?: (text: string) => T;
}

/** What a namespace needs from its TwoLevelCache (the connections, the subscription, the metrics). */
export interface CacheHost {
  readonly redis: RedisLevel;
  readonly instanceId: string;
  readonly fenceTtlSeconds: number;
  /** A number that changes whenever the invalidation subscription drops or comes back; undefined while it is down. */
  localEpoch(): number | undefined;
  newFenceToken(): string;
  publishMessage(namespace: string, keys: readonly string[] | 'all'): string;
  record(cache: string, result: CacheResult): void;
  redisFailed(cache: string, operation: string, error: unknown): void;
  schedulePendingFlush(): void;
}

/** A marker no serializer's output starts with: the loader returned null. */
const NULL_VALUE = '\u0000null';

const MAX_PENDING_KEYS = 10_000;

interface Loaded<T> {
  encoded: string;
  source: CacheResult;
  /** A Redis hit is decoded once to check it; the first caller gets that copy, the others their own. */
  decoded?: { value: T | null };
}

/**
 * One kind of cached value (`member:info`, `member:points` …): reads go local → Redis → loader;
 * writers call `invalidate` after their transaction committed.
 */
export class CacheNamespace<T> {
  private readonly local: LruCache<string> | undefined;
  private readonly flights = new SingleFlight<Loaded<T>>();
  private readonly serialize: (value: T) => string;
  private readonly deserialize: (text: string) => T;
  private readonly redisTtlMs: number;
  private readonly ttlJitter: number;
  private readonly nullTtlMs: number;
  /** Bumped by every local invalidation; warm() stores locally only if nothing was invalidated meanwhile. */
  private localGeneration = 0;
  /** Invalidations Redis did not take (down or slow): retried, and Redis is bypassed for them meanwhile. */
  private readonly pendingKeys = new Map<string, number>();
  private pendingAll = 0;
  private pendingSequence = 0;

  constructor(
    readonly name: string,
    options: CacheNamespaceOptions<T>,
    private readonly host: CacheHost,
  ) {
    if (!(options.redisTtlSeconds > 0))
      throw new Error(`cache ${name}: redisTtlSeconds must be > 0`);
    const localTtlMs = options.localTtlMs ?? 30_000;
    this.local =
      localTtlMs > 0
        ? new LruCache<string>({ ttlMs: localTtlMs, maxEntries: options.localMaxEntries ?? 10_000 })
        : undefined;
    this.redisTtlMs = options.redisTtlSeconds * 1000;
    this.ttlJitter = Math.min(Math.max(options.redisTtlJitter ?? 0.1, 0), 0.5);
    this.nullTtlMs = (options.nullTtlSeconds ?? 0) * 1000;
    this.serialize = options.serialize ?? ((value) => JSON.stringify(value));
    this.deserialize = options.deserialize ?? ((text) => JSON.parse(text) as T);
  }

  /**
   * The cached value, or what `loader` returns (stored in both levels). Concurrent misses for one
   * key share one loader call and its outcome. Redis errors never reach the caller; loader errors do.
   */
  async get(key: CacheKey, loader: () => Promise<T | null>): Promise<T | null> {
    const id = String(key);
    if (this.host.localEpoch() !== undefined) {
      const hit = this.local?.get(id);
      if (hit !== undefined) {
        this.host.record(this.name, 'local_hit');
        return this.decode(hit);
      }
    }
    const loaded = await this.flights.run(id, (flight) => this.load(id, loader, flight));
    this.host.record(this.name, loaded.source);
    const { decoded } = loaded;
    if (decoded) {
      loaded.decoded = undefined;
      return decoded.value;
    }
    return this.decode(loaded.encoded);
  }

  /** Drops the key here, in Redis and (by broadcast) in every other instance. Never throws. */
  async invalidate(key: CacheKey): Promise<void> {
    await this.invalidateMany([key]);
  }

  async invalidateMany(keys: readonly CacheKey[]): Promise<void> {
    const ids = [...new Set(keys.map(String))];
    if (ids.length === 0) return;
    this.dropLocal(ids);
    const sequence = ++this.pendingSequence;
    try {
      await this.host.redis.invalidateKeys(
        this.name,
        ids,
        this.host.newFenceToken(),
        this.broadcast(ids),
      );
      for (const id of ids) if (this.pendingKeys.get(id) === sequence) this.pendingKeys.delete(id);
    } catch (error) {
      this.host.redisFailed(this.name, 'invalidate', error);
      this.addPending(ids, sequence);
    }
  }

  /** Drops every key of the namespace, here, in Redis and in every other instance. Never throws. */
  async invalidateAll(): Promise<void> {
    this.dropAllLocal();
    const sequence = ++this.pendingSequence;
    this.pendingAll = sequence;
    this.pendingKeys.clear();
    try {
      await this.host.redis.invalidateNamespace(
        this.name,
        this.host.newFenceToken(),
        this.broadcast('all'),
      );
      if (this.pendingAll === sequence) this.pendingAll = 0;
    } catch (error) {
      this.host.redisFailed(this.name, 'invalidate_all', error);
      this.host.schedulePendingFlush();
    }
  }

  /**
   * Preloads keys (e.g. every level at boot). `loadMany` runs after the fences were read, so a
   * concurrent invalidation wins as it does for `get`. Keys it leaves out are not cached.
   */
  async warm(
    keys: readonly CacheKey[],
    loadMany: (keys: string[]) => Promise<ReadonlyMap<string, T>>,
  ): Promise<void> {
    const ids = [...new Set(keys.map(String))];
    if (ids.length === 0) return;
    const epoch = this.host.localEpoch();
    const generation = this.localGeneration;
    const started = performance.now();
    let fences: Map<string, Fences> | undefined;
    try {
      fences = await this.host.redis.readFences(this.name, ids);
    } catch (error) {
      this.host.redisFailed(this.name, 'warm', error);
    }
    const values = await loadMany(ids);
    const stores: Promise<unknown>[] = [];
    for (const id of ids) {
      const value = values.get(id);
      if (value === undefined || value === null) continue;
      const encoded = this.serialize(value);
      const keyFences = fences?.get(id);
      if (keyFences && this.redisUsable(id) && this.fresh(started))
        stores.push(
          this.host.redis
            .store(this.name, id, keyFences, encoded, this.redisTtl())
            .catch((error: unknown) => this.host.redisFailed(this.name, 'store', error)),
        );
      if (
        this.localGeneration === generation &&
        epoch !== undefined &&
        this.host.localEpoch() === epoch
      )
        this.local?.set(id, encoded);
    }
    await Promise.all(stores);
  }

  /** The value of the in-process level, without loading (`undefined`: not there). For tests. */
  peek(key: CacheKey): T | null | undefined {
    const hit = this.local?.get(String(key));
    return hit === undefined ? undefined : this.decode(hit);
  }

  /** A local invalidation, or another instance's broadcast. */
  dropLocal(ids: readonly string[]): void {
    this.localGeneration += 1;
    for (const id of ids) {
      this.local?.delete(id);
      this.flights.supersede(id);
    }
  }

  dropAllLocal(): void {
    this.localGeneration += 1;
    this.local?.clear();
    this.flights.supersedeAll();
  }

  get hasPending(): boolean {
    return this.pendingAll !== 0 || this.pendingKeys.size > 0;
  }

  /** Retries the invalidations Redis missed; true when none is left. */
  async flushPending(): Promise<boolean> {
    if (this.pendingAll !== 0) {
      const sequence = this.pendingAll;
      try {
        await this.host.redis.invalidateNamespace(
          this.name,
          this.host.newFenceToken(),
          this.broadcast('all'),
        );
        if (this.pendingAll === sequence) this.pendingAll = 0;
      } catch (error) {
        this.host.redisFailed(this.name, 'invalidate_all', error);
        return false;
      }
    }
    const pending = [...this.pendingKeys];
    for (let start = 0; start < pending.length; start += 500) {
      const batch = pending.slice(start, start + 500);
      const ids = batch.map(([id]) => id);
      try {
        await this.host.redis.invalidateKeys(
          this.name,
          ids,
          this.host.newFenceToken(),
          this.broadcast(ids),
        );
      } catch (error) {
        this.host.redisFailed(this.name, 'invalidate', error);
        return false;
      }
      // A key invalidated again while this ran keeps its newer entry.
      for (const [id, sequence] of batch)
        if (this.pendingKeys.get(id) === sequence) this.pendingKeys.delete(id);
    }
    return !this.hasPending;
  }

  private async load(
    id: string,
    loader: () => Promise<T | null>,
    flight: Flight,
  ): Promise<Loaded<T>> {
    const epoch = this.host.localEpoch();
    const started = performance.now();
    let fences: Fences | undefined;
    if (this.redisUsable(id)) {
      try {
        const read = await this.host.redis.read(this.name, id);
        if (read.value !== null) {
          const decoded = this.decoded(read.value);
          if (decoded) {
            this.storeLocal(id, read.value, flight, epoch);
            return { encoded: read.value, source: 'redis_hit', decoded };
          }
        }
        fences = read.fences;
      } catch (error) {
        this.host.redisFailed(this.name, 'read', error);
      }
    }
    const loaded = await loader();
    const encoded = loaded === null || loaded === undefined ? NULL_VALUE : this.serialize(loaded);
    const cacheable = encoded !== NULL_VALUE || this.nullTtlMs > 0;
    if (cacheable && !flight.superseded) {
      if (fences && this.redisUsable(id) && this.fresh(started)) {
        const ttlMs = encoded === NULL_VALUE ? this.nullTtlMs : this.redisTtl();
        try {
          await this.host.redis.store(this.name, id, fences, encoded, ttlMs);
        } catch (error) {
          this.host.redisFailed(this.name, 'store', error);
        }
      }
      this.storeLocal(id, encoded, flight, epoch);
    }
    return { encoded, source: 'miss' };
  }

  /** Local entries only from a load that no invalidation overtook and that no missed broadcast can concern. */
  private storeLocal(id: string, encoded: string, flight: Flight, epoch: number | undefined): void {
    if (flight.superseded || epoch === undefined || this.host.localEpoch() !== epoch) return;
    this.local?.set(id, encoded, encoded === NULL_VALUE ? this.nullTtlMs : undefined);
  }

  /** The message that drops other instances' local copies; none when no instance keeps any. */
  private broadcast(keys: readonly string[] | 'all'): string | undefined {
    return this.local ? this.host.publishMessage(this.name, keys) : undefined;
  }

  private redisUsable(id: string): boolean {
    return this.pendingAll === 0 && !this.pendingKeys.has(id);
  }

  /** A load older than half the fence TTL might outlive a fence it read; it does not store. */
  private fresh(started: number): boolean {
    return performance.now() - started < (this.host.fenceTtlSeconds * 1000) / 2;
  }

  private redisTtl(): number {
    return this.redisTtlMs * (1 - this.ttlJitter * Math.random());
  }

  private addPending(ids: readonly string[], sequence: number): void {
    for (const id of ids) this.pendingKeys.set(id, sequence);
    // Redis away for long under many writes: one namespace-wide invalidation instead of a huge set.
    if (this.pendingKeys.size > MAX_PENDING_KEYS) {
      this.pendingAll = sequence;
      this.pendingKeys.clear();
    }
    this.host.schedulePendingFlush();
  }

  /** What Redis held, decoded; undefined (logged) when it no longer decodes. */
  private decoded(encoded: string): { value: T | null } | undefined {
    try {
      return { value: this.decode(encoded) };
    } catch (error) {
      this.host.redisFailed(this.name, 'decode', error);
      return undefined;
    }
  }

  private decode(encoded: string): T | null {
    return encoded === NULL_VALUE ? null : this.deserialize(encoded);
  }
}
