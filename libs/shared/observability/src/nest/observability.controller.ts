import {
  Controller,
  Get,
  Header,
  Inject,
  Optional,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import type { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { HEALTH_INDICATORS, HEALTH_INFO } from '../health';
import type { HealthInfo, ReadinessIndicator } from '../health';
import { Public } from '@member-system/shared/security';
import { AppMetrics } from '../metrics';

/**
 * Terminus's body (`status`, `info`, `error`, `details`) with `degraded`, the dependencies that
 * are down without costing readiness, and the app's `HealthInfo` entries (e.g. `readOnly`).
 */
export type ReadinessReport = HealthCheckResult & { degraded: string[] } & Record<string, unknown>;

/** `/health/live`, `/health/ready` and `/metrics`, the same on every app. */
@Public()
@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(HEALTH_INDICATORS) private readonly indicators: ReadinessIndicator[],
    private readonly metrics: AppMetrics,
    @Optional() @Inject(HEALTH_INFO) private readonly info: HealthInfo[] = [],
  ) {}

  /** Alive means the event loop answers; dependencies are readiness's business. */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 while every required dependency is up, 503 otherwise (and while shutting down). The
   * answer is set here rather than thrown, so no exception filter rewrites terminus's body.
   */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessReport> {
    const [result, optional, info] = await Promise.all([
      this.checkRequired(),
      this.checkOptional(),
      this.describeInfo(),
    ]);
    const report: ReadinessReport = {
      ...result,
      info: { ...result.info },
      error: { ...result.error },
      details: { ...result.details, ...optional },
      degraded: [],
      ...info,
    };
    for (const [key, state] of Object.entries(optional)) {
      if (state.status === 'up') report.info = { ...report.info, [key]: state };
      else report.degraded.push(key);
    }
    void reply.status(result.status === 'ok' ? 200 : 503);
    return report;
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.header('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }

  /** Terminus answers a failed check with a 503 exception carrying its body; that body is the result. */
  private async checkRequired(): Promise<HealthCheckResult> {
    const required = this.indicators
      .filter((entry) => entry.requiredForReadiness)
      .map((entry) => entry.indicator);
    try {
      return await this.health.check(required);
    } catch (error) {
      if (error instanceof ServiceUnavailableException)
        return error.getResponse() as HealthCheckResult;
      throw error;
    }
  }

  private async checkOptional(): Promise<HealthIndicatorResult> {
    const results = await Promise.all(
      this.indicators
        .filter((entry) => !entry.requiredForReadiness)
        .map(async (entry) => entry.indicator()),
    );
    return Object.assign({}, ...results) as HealthIndicatorResult;
  }

  private async describeInfo(): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
      this.info.map(async (entry) => {
        const value: unknown = await entry.describe().catch((error: unknown) => ({
          error: error instanceof Error ? error.message : String(error),
        }));
        return [entry.name, value] as const;
      }),
    );
    return Object.fromEntries(entries);
  }
}
