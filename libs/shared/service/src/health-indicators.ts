import { HealthIndicatorService } from '@nestjs/terminus';
import type { Provider } from '@nestjs/common';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { redisIndicator } from '@member-system/shared/cache';
import { amqpIndicator } from '@member-system/shared/messaging';
import { HEALTH_INDICATORS, pingIndicator } from '@member-system/shared/observability';
import type { ReadinessIndicator } from '@member-system/shared/observability';
import { ReadDatabase } from './read-database';
import { AMQP_CONNECTION, REDIS } from './tokens';

/** Readiness of the app's MySQL pool: a `SELECT 1` on its own DataSource. */
export function mysqlIndicator(health: HealthIndicatorService, dataSource: DataSource) {
  return pingIndicator(health, 'mysql', () => dataSource.query('SELECT 1'));
}

/**
 * The read replica as the last health check found it. Never required: while it is out of service
 * every read goes to the primary.
 */
export function replicaIndicator(health: HealthIndicatorService, reads: ReadDatabase) {
  return () => {
    const check = health.check('mysql_replica');
    const status = reads.replicaStatus;
    if (!status || status.serving) return Promise.resolve(check.up());
    return Promise.resolve(check.down({ reason: status.reason, message: status.detail }));
  };
}

/**
 * What a service cannot serve without: MySQL (its data) and RabbitMQ (its RPC queue, its events).
 * Redis only caches for it (TwoLevelCache reads MySQL without it), so a Redis outage shows as
 * degraded and the service stays ready. Another dependency is one more entry here.
 */
export const serviceHealthIndicators: Provider = {
  provide: HEALTH_INDICATORS,
  inject: [HealthIndicatorService, DataSource, REDIS, AMQP_CONNECTION, ReadDatabase],
  useFactory: (
    health: HealthIndicatorService,
    dataSource: DataSource,
    redis: Redis,
    amqp: AmqpConnectionManager,
    reads: ReadDatabase,
  ): ReadinessIndicator[] => [
    { indicator: mysqlIndicator(health, dataSource), requiredForReadiness: true },
    { indicator: amqpIndicator(health, amqp), requiredForReadiness: true },
    { indicator: redisIndicator(health, redis), requiredForReadiness: false },
    ...(reads.replicaStatus
      ? [{ indicator: replicaIndicator(health, reads), requiredForReadiness: false }]
      : []),
  ],
};
