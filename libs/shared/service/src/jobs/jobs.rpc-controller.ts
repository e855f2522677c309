import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ErrorCode, JobRpc, RunJobDto } from '@member-system/contracts';
import type { AdminJobView, RpcCommand, RunJobCommand } from '@member-system/contracts';
import { BaseServiceConfig } from '@member-system/shared/config';
import { AppException, ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { AdminJobs } from '../admin-jobs/admin-jobs';
import { Clock } from '../clock';
import { JobRegistry } from './job-registry';

/**
 * `POST /admin/jobs/{job}/run`, on whichever service owns the job: starts the run as an admin job
 * (`run-job`) and answers at once. While a run of the job as of the same time (or "now") is queued
 * or running, starting it again answers that run.
 */
@Controller()
export class JobsRpcController {
  constructor(
    private readonly registry: JobRegistry,
    private readonly adminJobs: AdminJobs,
    private readonly clock: Clock,
    private readonly config: BaseServiceConfig,
  ) {}

  @MessagePattern(JobRpc.run)
  async run(@Payload() command: RpcCommand<RunJobCommand>): Promise<AdminJobView> {
    const { job: name, ...options } = command.data;
    const { asOf } = await validateDto(RunJobDto, options);
    const job = this.registry.get(name);
    if (!job) throw new AppException(ErrorCode.NotFound, `No job named ${name}`, { job: name });
    if (asOf !== undefined && !this.config.ALLOW_CLOCK_OVERRIDE) {
      throw new ValidationFailedException({
        asOf: ['asOf is accepted only where ALLOW_CLOCK_OVERRIDE=true'],
      });
    }
    const at = asOf === undefined ? this.clock.now() : new Date(asOf);
    return this.adminJobs.start({
      kind: 'run-job',
      params: { job: name, asOf: at.toISOString() },
      activeKey: `run-job:${name}:${asOf === undefined ? 'now' : at.toISOString()}`,
      actor: command.actor,
      correlationId: command.correlationId,
    });
  }
}
