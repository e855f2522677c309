/** What a running flight can ask: whether an invalidation overtook it (then it must not cache). */
export interface Flight {
  readonly superseded: boolean;
}

interface Running<V> {
  promise: Promise<V>;
  flight: { superseded: boolean };
}

/**
 * Concurrent calls for one key share one unit of work and its outcome, value or error. Superseding
 * a key (an invalidation) detaches its running flight: later calls start a fresh one, and the old
 * one sees `flight.superseded` so it does not store what it read before the invalidation.
 */
export class SingleFlight<V> {
  private readonly running = new Map<string, Running<V>>();

  get size(): number {
    return this.running.size;
  }

  run(key: string, work: (flight: Flight) => Promise<V>): Promise<V> {
    const existing = this.running.get(key);
    if (existing !== undefined) return existing.promise;
    const flight = { superseded: false };
    // Registered before the work starts (a microtask later), so even work that throws at once
    // settles through the map entry and removes it.
    const promise = Promise.resolve()
      .then(() => work(flight))
      .finally(() => {
        if (this.running.get(key)?.flight === flight) this.running.delete(key);
      });
    this.running.set(key, { promise, flight });
    return promise;
  }

  supersede(key: string): void {
    const existing = this.running.get(key);
    if (existing === undefined) return;
    existing.flight.superseded = true;
    this.running.delete(key);
  }

  supersedeAll(): void {
    for (const { flight } of this.running.values()) flight.superseded = true;
    this.running.clear();
  }
}
