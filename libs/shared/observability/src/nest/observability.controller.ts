import { Controller, Get, Header, Inject, Optional, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { runHealthChecks } from '../health';
import type { HealthCheck, HealthInfo } from '../health';
import { Public } from '@member-system/shared/security';
import { AppMetrics } from '../metrics';

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
/** Optional `HealthInfo[]`: entries `/health/ready` adds beside `status` and `checks`. */
export const HEALTH_INFO = Symbol('HEALTH_INFO');

/** `/health/live`, `/health/ready` and `/metrics`, the same on every app. */
@Public()
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    private readonly metrics: AppMetrics,
    @Optional() @Inject(HEALTH_INFO) private readonly info: HealthInfo[] = [],
  ) {}

  /** Alive means the event loop answers; dependencies are readiness's business. */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const report = await runHealthChecks(this.checks);
    void reply.status(report.status === 'ok' ? 200 : 503);
    const info = await Promise.all(
      this.info.map(async (entry) => {
        const value: unknown = await entry.describe().catch((error: unknown) => ({
          error: error instanceof Error ? error.message : String(error),
        }));
        return [entry.name, value] as const;
      }),
    );
    return { ...report, ...Object.fromEntries(info) };
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
