import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** Why a query handler's read went to the primary although a replica is configured. */
export type ReplicaFallbackReason = 'down' | 'lagging' | 'timeout' | 'error';

/** The replica's series on the app's registry. */
export class ReplicaMetrics {
  private readonly fallbacks: Counter<'reason'>;
  private readonly serving: Gauge;

  constructor(registry: Registry) {
    this.fallbacks = new Counter({
      name: 'member_db_replica_fallback_total',
      help: 'Reads sent to the primary instead of the replica, by reason (down, lagging, timeout, error)',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.serving = new Gauge({
      name: 'member_db_replica_serving',
      help: '1 while the replica serves reads, 0 while reads go to the primary',
      registers: [registry],
    });
  }

  fellBack(reason: ReplicaFallbackReason): void {
    this.fallbacks.inc({ reason });
  }

  servingChanged(serving: boolean): void {
    this.serving.set(serving ? 1 : 0);
  }
}
