import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AdminJobRpc } from '@member-system/contracts';
import type { AdminJobView, RpcCommand } from '@member-system/contracts';
import { dataOf, idOf, requireRole } from '../subject';
import { AdminJobs } from './admin-jobs';

/** `GET /admin/jobs/{jobId}`, on the service the job id names. */
@Controller()
export class AdminJobsRpcController {
  constructor(private readonly jobs: AdminJobs) {}

  @MessagePattern(AdminJobRpc.get)
  async get(@Payload() command: RpcCommand<unknown>): Promise<AdminJobView> {
    requireRole(command, 'admin');
    return this.jobs.get(await idOf(dataOf(command).rowId), command.actor);
  }
}
