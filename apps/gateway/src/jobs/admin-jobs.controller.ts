import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode, JOB_OWNERS, JobRpc, RunJobDto, isJobName } from '@member-system/contracts';
import type { Actor } from '@member-system/contracts';
import { AppException, validateDto } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, RequirePermission } from '@member-system/shared/security';
import { commandOf } from '../infra/rpc-command';
import { WriteRoute } from '../infra/write-route';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post(':job/run')
  @WriteRoute()
  @HttpCode(200)
  @RequirePermission('system:write')
  @ApiOperation({
    summary: `Run a job now (${Object.keys(JOB_OWNERS).join(', ')}); asOf is honoured only with ALLOW_CLOCK_OVERRIDE=true`,
  })
  @ApiBody({ type: RunJobDto, required: false })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        job: { type: 'string' },
        asOf: { type: 'string', format: 'date-time' },
        outcome: { type: 'string', enum: ['succeeded', 'failed'] },
        result: { type: 'object', additionalProperties: true },
      },
      example: {
        job: 'expire-points',
        asOf: '2026-11-25T00:10:00.000Z',
        outcome: 'succeeded',
        result: { expired: 12 },
      },
    },
  })
  async run(
    @CurrentActor() actor: Actor,
    @Param('job') job: string,
    @Body() body: unknown,
  ): Promise<unknown> {
    if (!isJobName(job)) throw new AppException(ErrorCode.NotFound, `No job named ${job}`, { job });
    const options = await validateDto(RunJobDto, body === undefined ? {} : body);
    return this.rpc.send(JOB_OWNERS[job], JobRpc.run, commandOf(actor, { job, ...options }));
  }
}
