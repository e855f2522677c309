import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type {
  BeforeApplicationShutdown,
  DynamicModule,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RPC_QUEUES } from '@member-system/contracts';
import type { ServiceDefinition } from '../service-definition';
import { AdminJobRegistry } from './admin-job-registry';
import { AdminJobRunner } from './admin-job-runner';
import { AdminJobs } from './admin-jobs';
import { AdminJobsRpcController } from './admin-jobs.rpc-controller';
import { ScheduledJobRuns } from './scheduled-job-runs';

/** Jobs this replica runs at once; more wait queued (or go to another replica). */
const ADMIN_JOB_CONCURRENCY = 2;

/** Starts the runner once every feature registered its kinds, and stops it before the connections close. */
@Injectable()
class AdminJobsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(AdminJobRunner) private readonly runner: AdminJobRunner) {}

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/**
 * The prefix of the service's job ids (`event` of `event.42`): the service name the gateway
 * routes by, from its RPC queue (a service outside the fleet, such as a test's, uses its name).
 */
function jobIdPrefixOf(definition: ServiceDefinition): string {
  const entry = Object.entries(RPC_QUEUES).find(([, queue]) => queue === definition.rpcQueue);
  return entry?.[0] ?? definition.name.replace(/-service$/, '');
}

/** Admin jobs (`202` + `GET /admin/jobs/{jobId}`) on every service: the table, the runner and the read RPC. */
@Global()
@Module({})
export class AdminJobsModule {
  static forRoot(definition: ServiceDefinition): DynamicModule {
    const service = jobIdPrefixOf(definition);
    return {
      module: AdminJobsModule,
      controllers: [AdminJobsRpcController],
      providers: [
        { provide: AdminJobRegistry, useValue: new AdminJobRegistry() },
        {
          provide: AdminJobRunner,
          inject: [DataSource, AdminJobRegistry],
          useFactory: (dataSource: DataSource, registry: AdminJobRegistry) =>
            new AdminJobRunner(dataSource, registry, service, definition.logger, {
              concurrency: ADMIN_JOB_CONCURRENCY,
              leaseMs: definition.config.ADMIN_JOB_LEASE_MS,
            }),
        },
        {
          provide: AdminJobs,
          inject: [DataSource, AdminJobRegistry, AdminJobRunner],
          useFactory: (
            dataSource: DataSource,
            registry: AdminJobRegistry,
            runner: AdminJobRunner,
          ) => new AdminJobs(dataSource, registry, service, runner),
        },
        ScheduledJobRuns,
        AdminJobsLifecycle,
      ],
      exports: [AdminJobRegistry, AdminJobs],
    };
  }
}
