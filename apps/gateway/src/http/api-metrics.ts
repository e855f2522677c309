import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * The gateway's REST series, under the seed's names where it has them: the response time
 * histogram `member_api_response_seconds` by method, route and status class (`2xx`, `4xx`, …:
 * each status would multiply its buckets; its alert: p95 over 0.5 s for 2 minutes, so 0.5 is a
 * bucket bound), requests and errors by method, route and status. The route is the pattern
 * (`/api/v1/points/me/use`), never the raw URL, so ids never multiply the series.
 */
export class ApiMetrics {
  private readonly responseSeconds: Histogram<'method' | 'route' | 'status_class'>;
  private readonly requests: Counter;
  private readonly errors: Counter;

  constructor(registry: Registry) {
    this.responseSeconds = new Histogram({
      name: 'member_api_response_seconds',
      help: 'API response time, by method, route and status class (2xx, 4xx, 5xx)',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.requests = new Counter({
      name: 'member_api_requests_total',
      help: 'API requests answered, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'member_api_errors_total',
      help: 'API requests answered with 4xx or 5xx, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.responseSeconds.observe(
      { method, route, status_class: `${Math.floor(status / 100)}xx` },
      seconds,
    );
    this.requests.inc(labels);
    if (status >= 400) this.errors.inc(labels);
  }
}
