const MINUTE_MS = 60_000;

/** How many minutes a cache's hit ratio looks back: the current minute and the 4 before it. */
export const HIT_RATIO_WINDOW_MINUTES = 5;

interface MinuteCount {
  minute: number;
  hits: number;
  total: number;
}

/**
 * A cache's reads of the last few minutes, counted per minute, so its hit ratio follows what the
 * cache does now rather than since the process started (a cold start would weigh for hours).
 */
export class RecentHitRatio {
  private readonly minutes: MinuteCount[] = [];

  record(hit: boolean, now = Date.now()): void {
    const minute = Math.floor(now / MINUTE_MS);
    let current = this.minutes.at(-1);
    if (current?.minute !== minute) {
      current = { minute, hits: 0, total: 0 };
      this.minutes.push(current);
      this.dropBefore(minute);
    }
    current.total += 1;
    if (hit) current.hits += 1;
  }

  /** Hits over reads of the window; undefined when the window saw no read (nothing to judge). */
  ratio(now = Date.now()): number | undefined {
    this.dropBefore(Math.floor(now / MINUTE_MS));
    let hits = 0;
    let total = 0;
    for (const minute of this.minutes) {
      hits += minute.hits;
      total += minute.total;
    }
    return total === 0 ? undefined : hits / total;
  }

  private dropBefore(minute: number): void {
    const oldest = minute - HIT_RATIO_WINDOW_MINUTES + 1;
    while (this.minutes.length > 0 && (this.minutes[0] as MinuteCount).minute < oldest) {
      this.minutes.shift();
    }
  }
}
