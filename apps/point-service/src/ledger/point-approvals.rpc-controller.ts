import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ErrorCode,
  IdParam,
  PAGE_LIMIT_DEFAULT,
  PointApprovalsQueryDto,
  PointRpc,
  ReviewPointApprovalDto,
} from '@member-system/contracts';
import type {
  AdminPermission,
  Page,
  PointApprovalView,
  RpcCommand,
} from '@member-system/contracts';
import { AppException, validateDto } from '@member-system/shared/errors';
import { ApproveAdjustmentCommand } from './commands/approve-adjustment/approve-adjustment.command';
import { RejectAdjustmentCommand } from './commands/reject-adjustment/reject-adjustment.command';
import { GetPointApprovalQuery } from './queries/get-point-approval/get-point-approval.query';
import { ListPointApprovalsQuery } from './queries/list-point-approvals/list-point-approvals.query';

/** Maker–checker of large adjustments; the gateway checks the permissions first, and so do we. */
@Controller()
export class PointApprovalsRpcController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @MessagePattern(PointRpc.listApprovals)
  async list(@Payload() command: RpcCommand<unknown>): Promise<Page<PointApprovalView>> {
    requireAdmin(command, 'points:adjust', 'points:approve');
    const { status, limit, cursor } = await validateDto(PointApprovalsQueryDto, command.data ?? {});
    return this.queryBus.execute(
      new ListPointApprovalsQuery(limit ?? PAGE_LIMIT_DEFAULT, status, cursor),
    );
  }

  @MessagePattern(PointRpc.getApproval)
  async get(@Payload() command: RpcCommand<unknown>): Promise<PointApprovalView> {
    requireAdmin(command, 'points:adjust', 'points:approve');
    return this.queryBus.execute(new GetPointApprovalQuery(await idOf(command)));
  }

  @MessagePattern(PointRpc.approve)
  async approve(@Payload() command: RpcCommand<unknown>): Promise<PointApprovalView> {
    requireAdmin(command, 'points:approve');
    const { note } = await reviewOf(command);
    return this.commandBus.execute(
      new ApproveAdjustmentCommand(await idOf(command), command.actor, note),
    );
  }

  @MessagePattern(PointRpc.reject)
  async reject(@Payload() command: RpcCommand<unknown>): Promise<PointApprovalView> {
    requireAdmin(command, 'points:approve');
    const { note } = await reviewOf(command);
    return this.commandBus.execute(
      new RejectAdjustmentCommand(await idOf(command), command.actor, note),
    );
  }
}

function requireAdmin(command: RpcCommand<unknown>, ...permissions: AdminPermission[]): void {
  const { roles, perms } = command.actor;
  if (!roles.includes('admin') || !permissions.some((permission) => perms.includes(permission))) {
    throw new AppException(
      ErrorCode.Forbidden,
      `Approval requests need the admin permission ${permissions.join(' or ')}`,
    );
  }
}

async function idOf(command: RpcCommand<unknown>): Promise<string> {
  const { id } = (command.data ?? {}) as { id?: unknown };
  return (await validateDto(IdParam, { id })).id;
}

function reviewOf(command: RpcCommand<unknown>): Promise<ReviewPointApprovalDto> {
  const { id: _id, ...body } = (command.data ?? {}) as Record<string, unknown>;
  return validateDto(ReviewPointApprovalDto, body);
}
