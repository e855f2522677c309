import type Redis from 'ioredis';
import type { RedisCircuit } from './redis-circuit';

/**
 * The Redis level of the cache: values under `<app prefix><namespace>:<key>`, and fence tokens
 * that make a load started before an invalidation unable to store what it read.
 *
 * An invalidation writes a new random token to the key's fence (or the namespace's fence) and
 * deletes the value, in one MULTI with the broadcast. A miss reads the value and both fences in
 * one MGET, loads from MySQL, and stores with a script that writes only if both fences still hold
 * the tokens it read. So no instance can put back a value older than the last invalidation, however
 * the load and the invalidation interleave. Fences live `fenceTtlSeconds`; a load older than half
 * of that does not store at all, so an expired fence cannot be mistaken for an untouched one.
 */
export interface Fences {
  key: string;
  namespace: string;
}

const STORE_IF_NOT_FENCED = `
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 0 end
if (redis.call('GET', KEYS[3]) or '') ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return 1`;

const SCAN_COUNT = 500;

export class RedisTimeoutError extends Error {
  constructor(operation: string, timeoutMs: number) {
    super(`Redis ${operation} did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * Bounds a Redis command: a slow Redis must cost a request no more than `timeoutMs`. The rejection
 * waits one setImmediate: after an event-loop stall (GC, CPU starvation) expired timers run before
 * pending I/O, and a reply already in the socket must win over a timeout that is only our own lag.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  operation: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => setImmediate(() => reject(new RedisTimeoutError(operation, timeoutMs))),
      timeoutMs,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export class RedisLevel {
  /** The client's key prefix (ioredis adds it to keys, never to pub/sub channels). */
  readonly prefix: string;
  readonly channel: string;

  constructor(
    private readonly redis: Redis,
    private readonly circuit: RedisCircuit,
    private readonly fenceTtlSeconds: number,
  ) {
    const keyPrefix = redis.options.keyPrefix;
    this.prefix = typeof keyPrefix === 'string' ? keyPrefix : '';
    this.channel = `${this.prefix}cache:invalidate`;
  }

  static valueKey(namespace: string, key: string): string {
    return `${namespace}:${key}`;
  }

  private static keyFence(namespace: string, key: string): string {
    return `cache-fence:key:${namespace}:${key}`;
  }

  private static namespaceFence(namespace: string): string {
    return `cache-fence:ns:${namespace}`;
  }

  async read(namespace: string, key: string): Promise<{ value: string | null; fences: Fences }> {
    const [value, keyFence, namespaceFence] = await this.bounded(
      () =>
        this.redis.mget(
          RedisLevel.valueKey(namespace, key),
          RedisLevel.keyFence(namespace, key),
          RedisLevel.namespaceFence(namespace),
        ),
      'mget',
    );
    return {
      value: value ?? null,
      fences: { key: keyFence ?? '', namespace: namespaceFence ?? '' },
    };
  }

  async readFences(namespace: string, keys: readonly string[]): Promise<Map<string, Fences>> {
    const [namespaceFence, ...keyFences] = await this.bounded(
      () =>
        this.redis.mget(
          RedisLevel.namespaceFence(namespace),
          ...keys.map((key) => RedisLevel.keyFence(namespace, key)),
        ),
      'mget',
    );
    return new Map(
      keys.map((key, index) => [
        key,
        { key: keyFences[index] ?? '', namespace: namespaceFence ?? '' },
      ]),
    );
  }

  /** Stores the value unless an invalidation moved a fence since `fences` were read. */
  async store(
    namespace: string,
    key: string,
    fences: Fences,
    value: string,
    ttlMs: number,
  ): Promise<boolean> {
    const stored = await this.bounded(
      () =>
        this.redis.eval(
          STORE_IF_NOT_FENCED,
          3,
          RedisLevel.valueKey(namespace, key),
          RedisLevel.keyFence(namespace, key),
          RedisLevel.namespaceFence(namespace),
          fences.key,
          fences.namespace,
          value,
          String(Math.max(1, Math.round(ttlMs))),
        ),
      'eval',
    );
    return stored === 1;
  }

  /**
   * Fences and deletes the keys, then broadcasts `message` (none: no instance keeps a local copy).
   * Plain commands rather than a MULTI: the client pipelines the commands issued in one tick (these
   * and other requests') into one write, and one connection runs them in order, so the fence is up
   * before the value goes. A reader between the two sees the old value, as it would just before.
   */
  async invalidateKeys(
    namespace: string,
    keys: readonly string[],
    token: string,
    message: string | undefined,
  ): Promise<void> {
    await this.bounded(() => {
      const commands: Promise<unknown>[] = keys.map((key) =>
        this.redis.set(RedisLevel.keyFence(namespace, key), token, 'EX', this.fenceTtlSeconds),
      );
      commands.push(this.redis.unlink(...keys.map((key) => RedisLevel.valueKey(namespace, key))));
      if (message !== undefined) commands.push(this.redis.publish(this.channel, message));
      return Promise.all(commands);
    }, 'invalidate');
  }

  /**
   * Fences the namespace, deletes its values, then broadcasts: an instance that dropped its local
   * copies on an earlier broadcast could re-read a value the scan had not reached yet.
   */
  async invalidateNamespace(
    namespace: string,
    token: string,
    message: string | undefined,
  ): Promise<void> {
    await this.bounded(
      () => this.redis.set(RedisLevel.namespaceFence(namespace), token, 'EX', this.fenceTtlSeconds),
      'set',
    );
    // SCAN's pattern and its results carry the prefix; UNLINK adds it again, so strip it.
    const pattern = `${escapeGlob(this.prefix)}${namespace}:*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.bounded(
        () => this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT),
        'scan',
      );
      cursor = next;
      if (keys.length > 0)
        await this.bounded(
          () => this.redis.unlink(...keys.map((key) => key.slice(this.prefix.length))),
          'unlink',
        );
    } while (cursor !== '0');
    if (message !== undefined) {
      await this.bounded(() => this.redis.publish(this.channel, message), 'publish');
    }
  }

  /** Runs a command within the timeout, or not at all while the circuit skips Redis. */
  private bounded<T>(command: () => Promise<T>, operation: string): Promise<T> {
    return this.circuit.run(operation, command);
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
