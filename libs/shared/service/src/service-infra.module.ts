import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type {
  BeforeApplicationShutdown,
  DynamicModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { BaseServiceConfig, parseDelays } from '@member-system/shared/config';
import { poolConnectionsOf } from '@member-system/shared/database';
import { TwoLevelCache, createRedis } from '@member-system/shared/cache';
import {
  ConfirmPublisher,
  EventConsumer,
  OutboxRelay,
  OutboxWriter,
  RpcClient,
  connectAmqp,
} from '@member-system/shared/messaging';
import {
  AppMetrics,
  HEALTH_INDICATORS,
  ObservabilityController,
  healthModule,
} from '@member-system/shared/observability';
import { Clock } from './clock';
import { MemberOwner, OwnerRpc } from './owners';
import { ReadDatabase } from './read-database';
import { openDataSource, redisSettingsOf, replicaSettingsOf } from './database-connection';
import { serviceHealthIndicators } from './health-indicators';
import { Replica, ReplicaMetrics } from './replica';
import { JobMetrics } from './jobs/job-metrics';
import { JobRegistry } from './jobs/job-registry';
import { JobScheduler } from './jobs/job-scheduler';
import { JobsRpcController } from './jobs/jobs.rpc-controller';
import type { ServiceDefinition } from './service-definition';
import { AMQP_CONNECTION, LOGGER, REDIS, SERVICE_DEFINITION } from './tokens';

/** Starts the relay and the consumer once every feature module has registered its handlers, and stops them first. */
@Injectable()
class ServiceLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(SERVICE_DEFINITION) private readonly definition: ServiceDefinition,
    private readonly consumer: EventConsumer,
    private readonly relay: OutboxRelay,
    private readonly jobs: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly dataSource: DataSource,
    private readonly reads: ReadDatabase,
    private readonly owners: OwnerRpc,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly cache: TwoLevelCache,
    @Inject(AMQP_CONNECTION) private readonly amqp: AmqpConnectionManager,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const registered = new Set(this.consumer.types);
    const missing = this.definition.subscriptions.filter((type) => !registered.has(type));
    if (missing.length > 0)
      throw new Error(`no handler registered for subscribed events: ${missing.join(', ')}`);
    if (this.definition.config.OUTBOX_RELAY_ENABLED) this.relay.start();
    await this.owners.connect(this.definition.asks ?? []);
    if (registered.size > 0) await this.consumer.start();
    const jobs = this.jobs.all().map((job) => job.name);
    if (this.definition.config.JOBS_ENABLED && jobs.length > 0) await this.scheduler.start();
    this.logger.info({ subscriptions: [...registered], jobs }, 'service started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.logger.info('shutting down: no new events or jobs, finishing work in hand');
    await this.scheduler.stop();
    await this.consumer.stop();
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.owners.close();
    await this.amqp.close().catch(() => undefined);
    this.cache.close();
    this.redis.disconnect();
    await this.reads.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.info('stopped');
  }
}

/**
 * Everything a service needs besides its own features: config, logger, metrics, MySQL, Redis,
 * RabbitMQ, the outbox writer and relay, the event consumer, RPC to the owners of data it keeps
 * copies of, health and metrics endpoints.
 */
@Global()
@Module({})
export class ServiceInfraModule {
  static forRoot(definition: ServiceDefinition): DynamicModule {
    const config = definition.config;
    return {
      module: ServiceInfraModule,
      imports: [healthModule(definition.logger)],
      controllers: [ObservabilityController, JobsRpcController],
      providers: [
        { provide: SERVICE_DEFINITION, useValue: definition },
        { provide: BaseServiceConfig, useValue: config },
        { provide: config.constructor, useValue: config },
        { provide: LOGGER, useValue: definition.logger },
        { provide: AppMetrics, useValue: new AppMetrics(definition.name) },
        {
          provide: DataSource,
          inject: [AppMetrics],
          useFactory: async (metrics: AppMetrics) => {
            const dataSource = await openDataSource(config, definition.database, definition.logger);
            metrics.watchDbPool('primary', () => poolConnectionsOf(dataSource));
            return dataSource;
          },
        },
        {
          provide: REDIS,
          useFactory: () => createRedis(redisSettingsOf(config)),
        },
        {
          provide: TwoLevelCache,
          inject: [REDIS, AppMetrics],
          useFactory: async (redis: Redis, metrics: AppMetrics) => {
            const cache = new TwoLevelCache({
              redis,
              registry: metrics.registry,
              logger: definition.logger,
            });
            await cache.start(); // at most 2 s; without Redis every read goes to MySQL
            return cache;
          },
        },
        {
          provide: AMQP_CONNECTION,
          useFactory: () => connectAmqp(config.RABBITMQ_URL, definition.name),
        },
        { provide: OutboxWriter, useValue: new OutboxWriter(definition.name) },
        {
          provide: OutboxRelay,
          inject: [DataSource, AMQP_CONNECTION, AppMetrics],
          useFactory: (dataSource: DataSource, amqp: AmqpConnectionManager, metrics: AppMetrics) =>
            new OutboxRelay(
              dataSource,
              new ConfirmPublisher(amqp, definition.logger),
              definition.logger,
              {
                lockName: `${config.MYSQL_DATABASE}.outbox-relay`,
                pollMs: config.OUTBOX_POLL_MS,
                batchSize: config.OUTBOX_BATCH_SIZE,
              },
              metrics,
            ),
        },
        {
          provide: EventConsumer,
          inject: [AMQP_CONNECTION, DataSource, AppMetrics],
          useFactory: (amqp: AmqpConnectionManager, dataSource: DataSource, metrics: AppMetrics) =>
            new EventConsumer(
              amqp,
              dataSource,
              definition.logger,
              {
                consumerName: definition.name,
                queue: definition.eventQueue,
                prefetch: config.EVENT_PREFETCH,
                batchSize: config.EVENT_BATCH_SIZE,
                maxAttempts: config.EVENT_MAX_ATTEMPTS,
                retryDelaysMs: parseDelays(config.EVENT_RETRY_DELAYS_MS),
              },
              metrics,
            ),
        },
        serviceHealthIndicators,
        {
          provide: ReadDatabase,
          inject: [DataSource, AppMetrics],
          useFactory: async (dataSource: DataSource, metrics: AppMetrics) => {
            const settings = replicaSettingsOf(config);
            if (!settings) return new ReadDatabase(dataSource);
            const replica = new Replica(
              dataSource,
              settings,
              definition.database,
              { maxLagMs: config.MYSQL_REPLICA_MAX_LAG_MS },
              definition.logger,
              new ReplicaMetrics(metrics.registry),
            );
            await replica.start(); // one check, bounded; a replica down only sends reads to the primary
            metrics.watchDbPool('replica', () => replica.connections());
            return new ReadDatabase(dataSource, replica);
          },
        },
        {
          provide: OwnerRpc,
          useFactory: () =>
            new OwnerRpc(
              new RpcClient(config.RABBITMQ_URL, config.RPC_TIMEOUT_MS),
              definition.name,
            ),
        },
        MemberOwner,
        { provide: Clock, useValue: new Clock() },
        { provide: JobRegistry, useValue: new JobRegistry() },
        {
          provide: JobScheduler,
          inject: [DataSource, JobRegistry, Clock, AppMetrics],
          useFactory: (
            dataSource: DataSource,
            registry: JobRegistry,
            clock: Clock,
            metrics: AppMetrics,
          ) =>
            new JobScheduler(
              dataSource,
              registry,
              clock,
              definition.logger,
              {
                timeZone: config.BUSINESS_TIME_ZONE,
                tickMs: config.JOB_TICK_MS,
                retryAfterMs: 10 * 60_000,
              },
              new JobMetrics(metrics.registry),
            ),
        },
        ServiceLifecycle,
      ],
      exports: [
        SERVICE_DEFINITION,
        BaseServiceConfig,
        config.constructor,
        LOGGER,
        AppMetrics,
        DataSource,
        REDIS,
        TwoLevelCache,
        AMQP_CONNECTION,
        OutboxWriter,
        OutboxRelay,
        EventConsumer,
        HEALTH_INDICATORS,
        ReadDatabase,
        OwnerRpc,
        MemberOwner,
        Clock,
        JobRegistry,
        JobScheduler,
      ],
    };
  }
}
