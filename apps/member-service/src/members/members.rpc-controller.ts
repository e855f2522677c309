import { Controller } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MemberRpc, RegisterMemberDto } from '@member-system/contracts';
import type {
  MemberRef,
  MemberView,
  RegisterMemberResult,
  RpcCommand,
} from '@member-system/contracts';
import { ValidationFailedException, validateDto } from '@member-system/shared/errors';
import { dataOf, idOf, requireRole } from '@member-system/shared/service';
import { RegisterMemberCommand } from './commands/register-member/register-member.command';
import { GetMemberQuery } from './queries/get-member/get-member.query';
import { LookupMemberQuery } from './queries/lookup-member/lookup-member.query';

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

  /** Another service asks about a member its copy lacks (`{userId}` or `{memberId}`). */
  @MessagePattern(MemberRpc.lookup)
  async lookup(@Payload() command: RpcCommand<unknown>): Promise<MemberRef> {
    requireRole(command, 'service');
    const { userId, memberId } = dataOf(command);
    if (memberId !== undefined) {
      return this.queryBus.execute(new LookupMemberQuery({ memberId: await idOf(memberId) }));
    }
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 64) {
      throw new ValidationFailedException({ userId: ['must be a user id'] });
    }
    return this.queryBus.execute(new LookupMemberQuery({ userId }));
  }
}
