import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { runHealthChecks } from '../health';
import type { HealthCheck } from '../health';
import { Public } from '@member-system/shared/security';
import { AppMetrics } from '../metrics';

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

/** `/health/live`, `/health/ready` and `/metrics`, the same on every app. */
@Public()
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    private readonly metrics: AppMetrics,
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
    return report;
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
