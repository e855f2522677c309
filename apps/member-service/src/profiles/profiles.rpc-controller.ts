import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AdminGetMemberDto, MemberRpc, UpdateProfileDto } from '@member-system/contracts';
import type { MemberView, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { UpdateProfileCommand } from './commands/update-profile/update-profile.command';
import { assertAdminPermission } from './profiles.exception';
import { GetMemberForAdminQuery } from './queries/get-member-for-admin/get-member-for-admin.query';

/** The caller's own profile changes, and an admin's read of one member. */
@Controller()
export class ProfilesRpcController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @MessagePattern(MemberRpc.updateMe)
  async updateMe(@Payload() command: RpcCommand<unknown>): Promise<MemberView> {
    const changes = await validateDto(UpdateProfileDto, command.data ?? {});
    return this.commandBus.execute(new UpdateProfileCommand(command.actor.userId, changes));
  }

  @MessagePattern(MemberRpc.adminGet)
  async adminGet(@Payload() command: RpcCommand<unknown>): Promise<MemberView> {
    const query = await validateDto(AdminGetMemberDto, command.data ?? {});
    const reveal = query.reveal === true;
    assertAdminPermission(command.actor, 'members:read');
    if (reveal) assertAdminPermission(command.actor, 'members:pii');
    return this.queryBus.execute(new GetMemberForAdminQuery(query.memberId, reveal));
  }
}
