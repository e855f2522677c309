import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ErrorCode, JobRpc, RunJobDto } from '@member-system/contracts';
import type { RpcCommand, RunJobCommand } from '@member-system/contracts';
import { BaseServiceConfig } from '@member-system/shared/config';
import { AppException, ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { Clock } from '../clock';
import type { JobRunResult } from './job';
import { JobRegistry } from './job-registry';
import { JobScheduler } from './job-scheduler';

/** `POST /admin/jobs/{job}/run`, on whichever service owns the job. */
@Controller()
export class JobsRpcController {
  constructor(
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly clock: Clock,
    private readonly config: BaseServiceConfig,
  ) {}

  @MessagePattern(JobRpc.run)
  async run(@Payload() command: RpcCommand<RunJobCommand>): Promise<JobRunResult> {
    const { job: name, ...options } = command.data;
    const { asOf } = await validateDto(RunJobDto, options);
    const job = this.registry.get(name);
    if (!job) throw new AppException(ErrorCode.NotFound, `No job named ${name}`, { job: name });
    if (asOf !== undefined && !this.config.ALLOW_CLOCK_OVERRIDE) {
      throw new ValidationFailedException({
        asOf: ['asOf is accepted only where ALLOW_CLOCK_OVERRIDE=true'],
      });
    }
    return this.scheduler.runNow(job, asOf === undefined ? this.clock.now() : new Date(asOf));
  }
}
