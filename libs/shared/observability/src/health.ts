import { TerminusModule } from '@nestjs/terminus';
import type {
  HealthIndicatorFunction,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { PinoNestLogger } from './logger';

/**
 * One dependency `/health/ready` checks. A required one that is down makes the app unready
 * (503); any other that is down only shows as degraded, and the app stays in the load balancer.
 * The indicator answers `down` rather than throwing (`pingIndicator` does).
 */
export interface ReadinessIndicator {
  indicator: HealthIndicatorFunction;
  requiredForReadiness: boolean;
}

/** `ReadinessIndicator[]`: the dependencies `/health/ready` checks, each with its own timeout. */
export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

/** Something `/health/ready` shows beside the checks, never failing readiness (a mode, a state). */
export interface HealthInfo {
  name: string;
  describe(): Promise<unknown>;
}

/** Optional `HealthInfo[]`: entries `/health/ready` adds beside terminus's own keys. */
export const HEALTH_INFO = Symbol('HEALTH_INFO');

/**
 * Under the readiness probe's own timeout (3 s in the Helm chart): the indicators run side by
 * side, so a hanging dependency costs this once and the probe still gets an answer.
 */
export const DEPENDENCY_TIMEOUT_MS = 2000;

/**
 * An indicator from one round trip on a connection the app already has: up when `ping` resolves
 * within `timeoutMs`, down with the reason otherwise. It never throws, so it can be shown as
 * degraded without failing the whole check.
 */
export function pingIndicator(
  health: HealthIndicatorService,
  key: string,
  ping: () => Promise<unknown>,
  timeoutMs = DEPENDENCY_TIMEOUT_MS,
): () => Promise<HealthIndicatorResult> {
  return async () => {
    const check = health.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Terminus with its failure log (the failing indicators, as JSON) going through the app's pino
 * logger, never its boxed console output.
 */
export function healthModule(logger: Logger): DynamicModule {
  return TerminusModule.forRootAsync({
    useFactory: () => ({ errorLogStyle: 'json', logger: new PinoNestLogger(logger) }),
  });
}
