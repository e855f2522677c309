import type { WindowCount } from './rate-limit-policy';

/**
 * Fixed-window counters in this process, for while Redis is unavailable: the same windows and
 * limits, but each gateway instance counts only the requests it sees, so the effective limit is
 * the configured one per instance. Windows that ended are dropped as the counters are read, a
 * sweep at most once per window, so memory stays bounded by the clients of one window.
 */
export class LocalWindowCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private nextSweepAt = 0;

  constructor(private readonly windowMs: number) {}

  /** Counts one request on every key: each key's count and the time left in its window. */
  count(keys: readonly string[], now = Date.now()): WindowCount[] {
    this.sweep(now);
    return keys.map((key) => {
      let window = this.windows.get(key);
      if (!window || window.endsAt <= now) {
        window = { count: 0, endsAt: now + this.windowMs };
        this.windows.set(key, window);
      }
      window.count += 1;
      return { count: window.count, ttlMs: window.endsAt - now };
    });
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.windowMs;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
