import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MemberRpc, RegisterMemberDto } from '@member-system/contracts';
import type { MemberView, RegisterMemberResult, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { RegisterMemberCommand } from './commands/register-member/register-member.command';
import { GetMemberQuery } from './queries/get-member/get-member.query';

/** Translates RPC commands into commands and queries; the caller is always the command's actor. */
@Controller()
export class MembersRpcController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @MessagePattern(MemberRpc.register)
  async register(@Payload() command: RpcCommand<unknown>): Promise<RegisterMemberResult> {
    const profile = await validateDto(RegisterMemberDto, command.data ?? {});
    return this.commandBus.execute(new RegisterMemberCommand(command.actor.userId, profile));
  }

  @MessagePattern(MemberRpc.getMe)
  me(@Payload() command: RpcCommand<unknown>): Promise<MemberView> {
    return this.queryBus.execute(new GetMemberQuery(command.actor.userId));
  }
}
