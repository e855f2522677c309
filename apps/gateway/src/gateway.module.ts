import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { RedisCircuit, createRedis, redisIndicator } from '@member-system/shared/cache';
import { RPC_QUEUES } from '@member-system/contracts';
import type { ServiceName } from '@member-system/contracts';
import {
  RpcClient,
  amqpIndicator,
  connectAmqp,
  rpcQueueDeclaration,
  verifyQueuesOnceConnected,
} from '@member-system/shared/messaging';
import {
  AppMetrics,
  HEALTH_INDICATORS,
  HEALTH_INFO,
  ObservabilityController,
  healthModule,
} from '@member-system/shared/observability';
import type { ReadinessIndicator } from '@member-system/shared/observability';
import type { Logger } from 'pino';
import {
  AMQP_CONNECTION,
  LOGGER,
  REDIS,
  mysqlIndicator,
  redisSettingsOf,
  openDataSource,
} from '@member-system/shared/service';
import { AccessTokenVerifier, JwtSettings } from '@member-system/shared/security';
import { AdminAuditController } from './audit/admin-audit.controller';
import { AuditTrail } from './audit/audit-trail';
import { AuthGuard } from './auth/auth.guard';
import { AdminBenefitsController } from './benefits/admin-benefits.controller';
import { BenefitsController } from './benefits/benefits.controller';
import { PriorityController } from './benefits/priority.controller';
import { AdminCampaignsController } from './campaigns/admin-campaigns.controller';
import { CampaignsController } from './campaigns/campaigns.controller';
import { GatewayConfig, jwtSettingsOf } from './config/gateway.config';
import { NoUnexpectedBodyGuard } from './http/no-unexpected-body.guard';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { gatewayDatabase } from './database/data-source';
import { AdminJobsController } from './jobs/admin-jobs.controller';
import { LevelsController } from './levels/levels.controller';
import { AdminMembersController } from './members/admin-members.controller';
import { MembersController } from './members/members.controller';
import {
  AdminPointsBatchController,
  AdminPointsController,
} from './points/admin-points.controller';
import { AdminPointApprovalsController } from './points/admin-point-approvals.controller';
import {
  AdminLedgerExportController,
  AdminReportsController,
} from './reports/admin-reports.controller';
import { PointsController } from './points/points.controller';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimiter } from './rate-limit/rate-limiter';
import { ReadOnlyController } from './system/read-only.controller';
import { ReadOnlyGuard } from './system/read-only.guard';
import { ReadOnlyMode } from './system/read-only-mode';
import { ReadOnlyReportingRpcClient } from './system/read-only-reporting-rpc-client';

@Injectable()
class GatewayConnections implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly rpc: RpcClient,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AMQP_CONNECTION) private readonly amqp: AmqpConnectionManager,
  ) {}

  /**
   * Refuses to start on RPC queues of an earlier version (classic ones), naming the migration, and
   * connects to every service queue now, so the first request does not pay for it.
   */
  async onApplicationBootstrap(): Promise<void> {
    await verifyQueuesOnceConnected(
      this.amqp,
      Object.values(RPC_QUEUES).map((queue) => rpcQueueDeclaration(queue)),
    );
    await this.rpc.connect(Object.keys(RPC_QUEUES) as ServiceName[]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.logger.info('shutting down: requests in flight were answered');
    await this.rpc.close();
    await this.amqp.close().catch(() => undefined);
    this.redis.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.info('stopped');
  }
}

/** The REST surface: authentication, the routes, and its own connections for health and later audit. */
@Global()
@Module({})
export class GatewayModule {
  static register(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: GatewayModule,
      imports: [healthModule(logger)],
      controllers: [
        ObservabilityController,
        MembersController,
        PointsController,
        AdminPointsController,
        AdminPointsBatchController,
        AdminPointApprovalsController,
        AdminReportsController,
        AdminLedgerExportController,
        LevelsController,
        AdminJobsController,
        AdminMembersController,
        BenefitsController,
        AdminBenefitsController,
        PriorityController,
        CampaignsController,
        AdminCampaignsController,
        AdminAuditController,
        ReadOnlyController,
      ],
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: JwtSettings, useValue: jwtSettingsOf(config) },
        {
          provide: AccessTokenVerifier,
          inject: [JwtSettings],
          useFactory: (jwt: JwtSettings) => new AccessTokenVerifier(jwt),
        },
        { provide: AppMetrics, useValue: new AppMetrics('gateway') },
        { provide: DataSource, useFactory: () => openDataSource(config, gatewayDatabase, logger) },
        {
          provide: REDIS,
          useFactory: () => createRedis(redisSettingsOf(config)),
        },
        {
          // One per instance, for the rate limiter, the idempotency records and read-only mode:
          // after Redis failed three times in a row, they skip it for two seconds instead of each
          // request waiting its timeout.
          provide: RedisCircuit,
          useValue: new RedisCircuit({ timeoutMs: 250, openMs: 2000 }),
        },
        { provide: AMQP_CONNECTION, useFactory: () => connectAmqp(config.RABBITMQ_URL, 'gateway') },
        ReadOnlyMode,
        {
          provide: RpcClient,
          inject: [ReadOnlyMode],
          useFactory: (readOnly: ReadOnlyMode) =>
            new ReadOnlyReportingRpcClient(config.RABBITMQ_URL, config.RPC_TIMEOUT_MS, readOnly),
        },
        {
          // Every route is an RPC over RabbitMQ: without it the gateway serves nothing. Redis and
          // its own MySQL are shared by all gateway pods, and it serves without them. Without
          // Redis: rate limits count per instance, read-only mode keeps its last state, the
          // idempotency records are in MySQL, only the read-only switch answers 503. Without its
          // MySQL: writes with a new Idempotency-Key and the admin audit trail answer 503. Taking
          // every pod out of the Service for them would turn that into a full outage.
          provide: HEALTH_INDICATORS,
          inject: [HealthIndicatorService, DataSource, REDIS, AMQP_CONNECTION],
          useFactory: (
            health: HealthIndicatorService,
            dataSource: DataSource,
            redis: Redis,
            amqp: AmqpConnectionManager,
          ): ReadinessIndicator[] => [
            { indicator: amqpIndicator(health, amqp), requiredForReadiness: true },
            { indicator: mysqlIndicator(health, dataSource), requiredForReadiness: false },
            { indicator: redisIndicator(health, redis), requiredForReadiness: false },
          ],
        },
        {
          provide: HEALTH_INFO,
          inject: [ReadOnlyMode],
          useFactory: (readOnly: ReadOnlyMode) => [
            { name: 'readOnly', describe: () => readOnly.current() },
          ],
        },
        RateLimiter,
        // Before the AuthGuard: 401s count against the IP limit too.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: NoUnexpectedBodyGuard },
        { provide: APP_GUARD, useClass: ReadOnlyGuard },
        IdempotencyStore,
        AuditTrail,
        GatewayConnections,
      ],
      exports: [AppMetrics, RpcClient],
    };
  }
}
