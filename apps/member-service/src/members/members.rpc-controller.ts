import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MemberRpc, RegisterMemberDto } from '@member-system/contracts';
import type { MemberView, RegisterMemberResult, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { RegisterMemberHandler } from './commands/register-member/register-member.handler';
import { GetMemberHandler } from './queries/get-member/get-member.handler';

/** Translates RPC commands into handler calls; the caller is always the command's actor. */
@Controller()
export class MembersRpcController {
  constructor(
    private readonly registerMember: RegisterMemberHandler,
    private readonly getMember: GetMemberHandler,
  ) {}

  @MessagePattern(MemberRpc.register)
  async register(@Payload() command: RpcCommand<unknown>): Promise<RegisterMemberResult> {
    const profile = await validateDto(RegisterMemberDto, command.data ?? {});
    return this.registerMember.execute(command.actor.userId, profile, 'api');
  }

  @MessagePattern(MemberRpc.getMe)
  me(@Payload() command: RpcCommand<unknown>): Promise<MemberView> {
    return this.getMember.byUserId(command.actor.userId);
  }
}
