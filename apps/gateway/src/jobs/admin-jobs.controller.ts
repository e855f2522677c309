import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADMIN_JOB_PERMISSIONS,
  AdminJobRpc,
  AdminJobView,
  ErrorCode,
  JOB_OWNERS,
  JobRpc,
  RunJobDto,
  isJobName,
  parseAdminJobId,
} from '@member-system/contracts';
import type { Actor } from '@member-system/contracts';
import { AppException, ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission, Roles } from '@member-system/shared/security';
import { commandOf } from '../infra/rpc-command';
import { AcceptedJobRoute } from './accepted-job';

/** Admin jobs: scheduled jobs run on demand, and the state of any admin job by its id. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post(':job/run')
  @AcceptedJobRoute()
  @RequirePermission('system:write')
  @ApiOperation({
    summary: `Start a run of a job now (${Object.keys(JOB_OWNERS).join(', ')}); asOf is honoured only with ALLOW_CLOCK_OVERRIDE=true`,
  })
  @ApiBody({ type: RunJobDto, required: false })
  async run(
    @CurrentActor() actor: Actor,
    @Param('job') job: string,
    @Body() body: unknown,
  ): Promise<AdminJobView> {
    if (!isJobName(job)) throw new AppException(ErrorCode.NotFound, `No job named ${job}`, { job });
    const options = await validateDto(RunJobDto, body === undefined ? {} : body);
    return this.rpc.send(JOB_OWNERS[job], JobRpc.run, commandOf(actor, { job, ...options }));
  }

  // An admin who may start some kind of job may ask; the owning service then answers only one
  // who holds the permission of this job's kind (campaigns:write for a distribution, ...).
  @Get(':jobId')
  @Roles('admin')
  @ApiOperation({ summary: 'An admin job: status, progress, result or error' })
  @ApiOkResponse({ type: AdminJobView })
  async get(@CurrentActor() actor: Actor, @Param('jobId') jobId: string): Promise<AdminJobView> {
    const allowed = [...new Set(Object.values(ADMIN_JOB_PERMISSIONS))];
    if (!allowed.some((permission) => actor.perms.includes(permission))) {
      throw new AppException(
        ErrorCode.Forbidden,
        `Reading jobs needs one of the admin permissions ${allowed.join(', ')}`,
      );
    }
    const owner = parseAdminJobId(jobId);
    if (!owner) {
      throw new ValidationFailedException({
        jobId: ['must be a job id such as event.42 (the owning service and a number)'],
      });
    }
    return this.rpc.send(owner.service, AdminJobRpc.get, commandOf(actor, { rowId: owner.rowId }));
  }
}
