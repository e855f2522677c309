import { HealthIndicatorService } from '@nestjs/terminus';
import type { Provider } from '@nestjs/common';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { redisIndicator } from '@member-system/shared/cache';
import { amqpIndicator } from '@member-system/shared/messaging';
import { HEALTH_INDICATORS, pingIndicator } from '@member-system/shared/observability';
import type { ReadinessIndicator } from '@member-system/shared/observability';
import { AMQP_CONNECTION, REDIS } from './tokens';

/** Readiness of the app's MySQL pool: a `SELECT 1` on its own DataSource. */
export function mysqlIndicator(health: HealthIndicatorService, dataSource: DataSource) {
  return pingIndicator(health, 'mysql', () => dataSource.query('SELECT 1'));
}

/**
 * What a service cannot serve without: MySQL (its data) and RabbitMQ (its RPC queue, its events).
 * Redis only caches for it (TwoLevelCache reads MySQL without it), so a Redis outage shows as
 * degraded and the service stays ready. Another dependency is one more entry here.
 */
export const serviceHealthIndicators: Provider = {
  provide: HEALTH_INDICATORS,
  inject: [HealthIndicatorService, DataSource, REDIS, AMQP_CONNECTION],
  useFactory: (
    health: HealthIndicatorService,
    dataSource: DataSource,
    redis: Redis,
    amqp: AmqpConnectionManager,
  ): ReadinessIndicator[] => [
    { indicator: mysqlIndicator(health, dataSource), requiredForReadiness: true },
    { indicator: amqpIndicator(health, amqp), requiredForReadiness: true },
    { indicator: redisIndicator(health, redis), requiredForReadiness: false },
  ],
};
