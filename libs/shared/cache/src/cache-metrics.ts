import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

export type CacheResult = 'local_hit' | 'redis_hit' | 'miss';

const metricsByRegistry = new WeakMap<Registry, CacheMetrics>();

/**
 * The cache series, registered once per prom-client Registry (the app's AppMetrics.registry), so
 * several caches or namespaces in one app share them.
 */
export class CacheMetrics {
  private readonly requests: Counter<'cache' | 'result'>;
  private readonly redisErrors: Counter<'cache' | 'operation'>;
  private readonly counts = new Map<string, { hits: number; total: number }>();

  static for(registry: Registry): CacheMetrics {
    let metrics = metricsByRegistry.get(registry);
    if (metrics === undefined) {
      metrics = new CacheMetrics(registry);
      metricsByRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'ms_cache_requests_total',
      help: 'Cache reads, by cache and where they were served from (local_hit, redis_hit, miss)',
      labelNames: ['cache', 'result'],
      registers: [registry],
    });
    this.redisErrors = new Counter({
      name: 'ms_cache_redis_errors_total',
      help: 'Redis commands of the cache that failed or timed out (the request fell back to MySQL)',
      labelNames: ['cache', 'operation'],
      registers: [registry],
    });
    const counts = this.counts;
    new Gauge({
      name: 'ms_cache_hit_ratio',
      help: 'Share of cache reads served by either level since the process started',
      labelNames: ['cache'],
      registers: [registry],
      collect() {
        for (const [cache, { hits, total }] of counts)
          this.set({ cache }, total ? hits / total : 0);
      },
    });
  }

  record(cache: string, result: CacheResult): void {
    this.requests.inc({ cache, result });
    const count = this.counts.get(cache) ?? { hits: 0, total: 0 };
    count.total += 1;
    if (result !== 'miss') count.hits += 1;
    this.counts.set(cache, count);
  }

  redisError(cache: string, operation: string): void {
    this.redisErrors.inc({ cache, operation });
  }
}
