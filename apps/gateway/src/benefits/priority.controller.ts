import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BenefitRpc, ErrorCode, PriorityView } from '@member-system/contracts';
import type { Actor } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { RpcClient } from '@member-system/shared/messaging';
import { CurrentActor, Roles } from '@member-system/shared/security';
import { commandOf } from '../infra/rpc-command';
import { pathIdOf } from '../infra/requests';

/**
 * The guard checks either roles or one admin permission, not "a service, or an admin with a
 * permission": @Roles lets both roles in, and the handler asks the admins for members:read.
 */
function checkServiceOrMembersReader(actor: Actor): void {
  if (actor.roles.includes('service')) return;
  if (actor.roles.includes('admin') && actor.perms.includes('members:read')) return;
  throw new AppException(
    ErrorCode.Forbidden,
    'This route needs a service token or the admin permission members:read',
  );
}

/** Whether a member gets priority service, for customer-service systems. */
@ApiTags('benefits')
@ApiBearerAuth()
@Controller('members')
export class PriorityController {
  constructor(private readonly rpc: RpcClient) {}

  @Get(':memberId/priority')
  @Roles('service', 'admin')
  @ApiOperation({
    summary:
      "Whether a member's level grants priority service (service tokens, or admins with members:read)",
  })
  @ApiResponse({
    status: 403,
    description: 'FORBIDDEN: neither a service nor an admin with members:read',
  })
  @ApiOkResponse({ type: PriorityView })
  priority(
    @CurrentActor() actor: Actor,
    @Param('memberId') memberId: string,
  ): Promise<PriorityView> {
    checkServiceOrMembersReader(actor);
    return this.rpc.send(
      'benefit',
      BenefitRpc.priority,
      commandOf(actor, { memberId: pathIdOf('memberId', memberId) }),
    );
  }
}
