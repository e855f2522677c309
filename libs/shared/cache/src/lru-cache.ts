/** A bounded in-process LRU whose entries also expire after a TTL (the first level of the cache). */
export interface LruCacheOptions {
  /** At most this many entries; the least recently used one goes first. */
  maxEntries: number;
  /** Default time to live of an entry, in milliseconds. */
  ttlMs: number;
  /** A monotonic clock in milliseconds (injectable for tests). */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class LruCache<V> {
  // A Map iterates in insertion order, so re-inserting on read keeps the least recent entry first.
  private readonly entries = new Map<string, Entry<V>>();
  private readonly now: () => number;

  constructor(private readonly options: LruCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1)
      throw new Error(`LruCache maxEntries must be a positive integer, got ${options.maxEntries}`);
    if (!(options.ttlMs > 0)) throw new Error(`LruCache ttlMs must be > 0, got ${options.ttlMs}`);
    this.now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number = this.options.ttlMs): void {
    this.entries.delete(key);
    if (!(ttlMs > 0)) return;
    this.entries.set(key, { value, expiresAt: this.now() + Math.min(ttlMs, this.options.ttlMs) });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
