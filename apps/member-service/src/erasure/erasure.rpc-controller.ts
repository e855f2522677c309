import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { EraseMemberDto, MemberRpc } from '@member-system/contracts';
import type { EraseMemberResult, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { assertAdminPermission } from '../profiles/profiles.exception';
import { EraseMemberHandler } from './commands/erase-member/erase-member.handler';

@Controller()
export class ErasureRpcController {
  constructor(private readonly eraseMember: EraseMemberHandler) {}

  @MessagePattern(MemberRpc.erase)
  async erase(@Payload() command: RpcCommand<unknown>): Promise<EraseMemberResult> {
    const { memberId } = await validateDto(EraseMemberDto, command.data ?? {});
    assertAdminPermission(command.actor, 'members:write');
    return this.eraseMember.execute(memberId);
  }
}
