import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { RecentHitRatio } from './recent-hit-ratio';

export type CacheResult = 'local_hit' | 'redis_hit' | 'miss';

const metricsByRegistry = new WeakMap<Registry, CacheMetrics>();

/**
 * The cache series, registered once per prom-client Registry (the app's AppMetrics.registry), so
 * several caches or namespaces in one app share them.
 */
export class CacheMetrics {
  private readonly requests: Counter<'cache' | 'result'>;
  private readonly redisErrors: Counter<'cache' | 'operation'>;
  private readonly recent = new Map<string, RecentHitRatio>();

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
    const recent = this.recent;
    new Gauge({
      name: 'member_cache_hit_ratio',
      help: 'Share of cache reads served by either level over the last 5 minutes (no series while the cache had no read)',
      labelNames: ['cache'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [cache, reads] of recent) {
          const ratio = reads.ratio();
          if (ratio !== undefined) this.set({ cache }, ratio);
        }
      },
    });
  }

  record(cache: string, result: CacheResult): void {
    this.requests.inc({ cache, result });
    let reads = this.recent.get(cache);
    if (!reads) {
      reads = new RecentHitRatio();
      this.recent.set(cache, reads);
    }
    reads.record(result !== 'miss');
  }

  redisError(cache: string, operation: string): void {
    this.redisErrors.inc({ cache, operation });
  }
}
