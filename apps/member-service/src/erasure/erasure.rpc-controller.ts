import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EraseMemberDto, MemberRpc } from '@member-system/contracts';
import type { EraseMemberResult, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { assertAdminPermission } from '../profiles/profiles.exception';
import { EraseMemberCommand } from './commands/erase-member/erase-member.command';

@Controller()
export class ErasureRpcController {
  constructor(private readonly commandBus: CommandBus) {}

  @MessagePattern(MemberRpc.erase)
  async erase(@Payload() command: RpcCommand<unknown>): Promise<EraseMemberResult> {
    const { memberId } = await validateDto(EraseMemberDto, command.data ?? {});
    assertAdminPermission(command.actor, 'members:write');
    return this.commandBus.execute(new EraseMemberCommand(memberId));
  }
}
