import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { ADMIN_JOB_PERMISSIONS, ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { JobRegistry } from '../jobs/job-registry';
import { JobScheduler } from '../jobs/job-scheduler';
import { AdminJobFailure } from './admin-job';
import type { AdminJobHandler } from './admin-job';
import { AdminJobRegistry } from './admin-job-registry';

/**
 * `POST /admin/jobs/{job}/run` as an admin job: the scheduled job runs once as of the time asked
 * (recorded in `job_run` like a scheduled run). A resumed run repeats the same `asOf`: scheduled
 * jobs are idempotent.
 */
@Injectable()
export class ScheduledJobRuns implements AdminJobHandler, OnModuleInit {
  readonly kind = 'run-job';
  readonly permission = ADMIN_JOB_PERMISSIONS['run-job'];

  constructor(
    private readonly jobs: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly registry: AdminJobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = String(params['job']);
    const job = this.jobs.get(name);
    if (!job) throw new AppException(ErrorCode.NotFound, `No job named ${name}`, { job: name });
    const run = await this.scheduler.runNow(job, new Date(String(params['asOf'])));
    if (run.outcome === 'failed') {
      const reason = run.result['error'];
      throw new AdminJobFailure(
        'JOB_FAILED',
        typeof reason === 'string' ? reason : 'The job failed',
      );
    }
    return { ...run };
  }
}
