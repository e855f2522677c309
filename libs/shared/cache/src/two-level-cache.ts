import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type Redis from 'ioredis';
import type { Registry } from 'prom-client';
import { CacheMetrics } from './cache-metrics';
import type { CacheResult } from './cache-metrics';
import { CacheNamespace } from './cache-namespace';
import type { CacheHost, CacheNamespaceOptions } from './cache-namespace';
import { RedisCircuit } from './redis-circuit';
import { RedisLevel } from './redis-level';

/** The part of a pino Logger the cache uses. */
export interface CacheLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface TwoLevelCacheOptions {
  /** The app's client: key prefix set (`ms:member:`), offline queue off so commands fail fast. */
  redis: Redis;
  /**
   * A connection for the invalidation subscription (a subscribed connection runs nothing else);
   * the cache owns and closes it. Default: `redis.duplicate()` with a connection name.
   */
  subscriber?: () => Redis;
  /** Tells this instance's broadcasts from the others'. Default: host, pid and a random suffix. */
  instanceId?: string;
  /** The app's prom-client Registry (AppMetrics.registry); without one the cache records no metrics. */
  registry?: Registry;
  logger: CacheLogger;
  /** Longest wait for one Redis command before falling back to MySQL. Default 250 ms. */
  redisTimeoutMs?: number;
  /**
   * After a Redis failure, Redis is skipped (reads go to MySQL at once) this long before one
   * command tries it again, so a frozen Redis does not cost every read its timeout. Default 2000 ms.
   */
  redisSkipMs?: number;
  /** Lifetime of invalidation fences; loads slower than half of it do not store. Default 600 s. */
  fenceTtlSeconds?: number;
  /** Retry interval for invalidations Redis did not take. Default 1000 ms. */
  retryIntervalMs?: number;
  /** At most one warning per kind of Redis failure in this interval. Default 10 000 ms. */
  warnIntervalMs?: number;
}

interface InvalidationMessage {
  from: string;
  ns: string;
  keys?: string[];
  all?: boolean;
}

/**
 * The services' cache: cache-aside over two levels, an in-process LRU per namespace in front of
 * Redis under the app's prefix. Writers invalidate after commit; the invalidation is broadcast on
 * `<prefix>cache:invalidate` so every instance drops its local copy. Redis never holds the truth:
 * every Redis failure falls back to the loader (MySQL), and invalidations Redis missed are retried
 * until it takes them. The local level is used only while the subscription is up, since a missed
 * broadcast would leave a stale copy; when it comes back, the local level starts empty.
 */
export class TwoLevelCache implements CacheHost {
  readonly instanceId: string;
  readonly redis: RedisLevel;
  readonly fenceTtlSeconds: number;
  private readonly namespaces = new Map<string, CacheNamespace<never>>();
  private readonly metrics: CacheMetrics | undefined;
  private readonly retryIntervalMs: number;
  private readonly warnIntervalMs: number;
  private readonly warnings = new Map<string, { at: number; suppressed: number }>();
  private subscriber: Redis | undefined;
  private subscribed = false;
  private epoch = 0;
  private tokenSequence = 0;
  private readonly tokenBase = randomBytes(6).toString('hex');
  private readonly subscribedWaiters = new Set<() => void>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing = false;
  private closed = false;
  private readonly onRedisReady = (): void => this.schedulePendingFlush(0);

  constructor(private readonly options: TwoLevelCacheOptions) {
    this.instanceId =
      options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.fenceTtlSeconds = options.fenceTtlSeconds ?? 600;
    const circuit = new RedisCircuit({
      timeoutMs: options.redisTimeoutMs ?? 250,
      openMs: options.redisSkipMs ?? 2000,
    });
    this.redis = new RedisLevel(options.redis, circuit, this.fenceTtlSeconds);
    this.metrics = options.registry ? CacheMetrics.for(options.registry) : undefined;
    this.retryIntervalMs = options.retryIntervalMs ?? 1000;
    this.warnIntervalMs = options.warnIntervalMs ?? 10_000;
    options.redis.on('ready', this.onRedisReady);
  }

  /** Whether broadcasts reach this instance (and so whether the local level is in use). */
  get isSubscribed(): boolean {
    return this.subscribed;
  }

  /**
   * Declares a namespace; its Redis keys are `<prefix><name>:<key>`. Names are `a:b` words, and no
   * name may be a `:`-prefix of another (their keys would overlap).
   */
  namespace<T>(name: string, options: CacheNamespaceOptions<T>): CacheNamespace<T> {
    if (!/^[\w.-]+(:[\w.-]+)*$/.test(name)) throw new Error(`invalid cache namespace "${name}"`);
    for (const other of this.namespaces.keys()) {
      if (other === name || other.startsWith(`${name}:`) || name.startsWith(`${other}:`))
        throw new Error(`cache namespace "${name}" overlaps "${other}"`);
    }
    const namespace = new CacheNamespace<T>(name, options, this);
    this.namespaces.set(name, namespace as unknown as CacheNamespace<never>);
    return namespace;
  }

  /**
   * Opens the subscription (retried on every reconnection) and resolves true once it is up, or
   * false after `timeoutMs` (boot must not wait on Redis; the local level stays off until then).
   */
  async start(timeoutMs = 2000): Promise<boolean> {
    if (this.closed) throw new Error('TwoLevelCache is closed');
    if (this.subscriber === undefined) this.openSubscriber();
    if (this.subscribed) return true;
    return new Promise<boolean>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.subscribedWaiters.delete(done);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.subscribedWaiters.delete(done);
        resolve(false);
      }, timeoutMs);
      this.subscribedWaiters.add(done);
    });
  }

  /** Closes the subscription and stops retrying; the app's own client stays open. */
  close(): void {
    this.closed = true;
    this.subscribed = false;
    this.epoch += 1;
    clearTimeout(this.flushTimer);
    this.options.redis.off('ready', this.onRedisReady);
    for (const waiter of this.subscribedWaiters) waiter();
    this.subscribedWaiters.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    subscriber?.disconnect();
  }

  // --- CacheHost, for the namespaces ---

  localEpoch(): number | undefined {
    return this.subscribed ? this.epoch : undefined;
  }

  newFenceToken(): string {
    this.tokenSequence += 1;
    return `${this.tokenBase}.${this.tokenSequence}`;
  }

  publishMessage(namespace: string, keys: readonly string[] | 'all'): string {
    const message: InvalidationMessage =
      keys === 'all'
        ? { from: this.instanceId, ns: namespace, all: true }
        : { from: this.instanceId, ns: namespace, keys: [...keys] };
    return JSON.stringify(message);
  }

  record(cache: string, result: CacheResult): void {
    this.metrics?.record(cache, result);
  }

  redisFailed(cache: string, operation: string, error: unknown): void {
    this.metrics?.redisError(cache, operation);
    this.warn(`redis:${operation}`, { cache, operation, err: error }, 'cache fell back to MySQL');
  }

  schedulePendingFlush(delayMs = this.retryIntervalMs): void {
    if (this.closed) return;
    if (this.flushTimer !== undefined) {
      if (delayMs > 0) return;
      clearTimeout(this.flushTimer);
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flushPending();
    }, delayMs);
    this.flushTimer.unref();
  }

  // --- internals ---

  private async flushPending(): Promise<void> {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    let flushed = 0;
    try {
      for (const namespace of this.namespaces.values()) {
        if (namespace.hasPending && (await namespace.flushPending())) flushed += 1;
      }
    } finally {
      this.flushing = false;
    }
    // Also covers invalidations that failed while this ran (their timer found us busy).
    if ([...this.namespaces.values()].some((namespace) => namespace.hasPending))
      this.schedulePendingFlush();
    else if (flushed > 0)
      this.options.logger.info(
        { namespaces: flushed },
        'cache invalidations missed by Redis applied',
      );
  }

  private openSubscriber(): void {
    const subscriber =
      this.options.subscriber?.() ??
      this.options.redis.duplicate({
        connectionName: `${this.redis.prefix}cache-sub:${this.instanceId}`.replace(/\s/g, '_'),
        autoResubscribe: false,
        // SUBSCRIBE waits as long as it takes: a subscription that timed out here could still
        // take effect later, behind this code's back.
        commandTimeout: undefined,
        enableOfflineQueue: false,
        lazyConnect: false,
      });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) =>
      this.onMessage(channel, message),
    );
    subscriber.on('ready', () => void this.subscribe(subscriber));
    subscriber.on('close', () => this.onSubscriptionLost());
    subscriber.on('error', (error: Error) =>
      this.warn('subscriber', { err: error }, 'cache invalidation subscription failed'),
    );
    if (subscriber.status === 'ready') void this.subscribe(subscriber);
    else if (subscriber.status === 'wait') subscriber.connect().catch(() => undefined);
  }

  private async subscribe(subscriber: Redis): Promise<void> {
    try {
      await subscriber.subscribe(this.redis.channel);
    } catch (error) {
      // The next 'ready' (after a reconnection) tries again.
      this.warn('subscribe', { err: error }, 'cache invalidation subscription failed');
      return;
    }
    if (this.closed || subscriber !== this.subscriber || this.subscribed) return;
    // Broadcasts sent while we were away are lost: start the local level empty.
    for (const namespace of this.namespaces.values()) namespace.dropAllLocal();
    this.epoch += 1;
    this.subscribed = true;
    for (const waiter of [...this.subscribedWaiters]) waiter();
  }

  private onSubscriptionLost(): void {
    if (!this.subscribed || this.closed) return;
    this.subscribed = false;
    this.epoch += 1;
    for (const namespace of this.namespaces.values()) namespace.dropAllLocal();
    this.warn('subscription-lost', {}, 'cache invalidation subscription lost; local level off');
  }

  private onMessage(channel: string, raw: string): void {
    if (channel !== this.redis.channel) return;
    let message: InvalidationMessage;
    try {
      message = JSON.parse(raw) as InvalidationMessage;
    } catch {
      return;
    }
    if (message.from === this.instanceId) return;
    const namespace = this.namespaces.get(message.ns);
    if (namespace === undefined) return;
    if (message.all === true) namespace.dropAllLocal();
    else if (Array.isArray(message.keys)) namespace.dropLocal(message.keys.map(String));
  }

  /** Redis trouble repeats on every request: one line per kind per interval, with a count. */
  private warn(kind: string, fields: object, message: string): void {
    const now = Date.now();
    const last = this.warnings.get(kind);
    if (last !== undefined && now - last.at < this.warnIntervalMs) {
      last.suppressed += 1;
      return;
    }
    this.warnings.set(kind, { at: now, suppressed: 0 });
    this.options.logger.warn({ ...fields, suppressed: last?.suppressed ?? 0 }, message);
  }
}
