import { Controller } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MemberRpc, SearchMembersDto } from '@member-system/contracts';
import type { MemberView, Page, RpcCommand } from '@member-system/contracts';
import { validateDto } from '@member-system/shared/errors';
import { assertAdminPermission } from '../profiles/profiles.exception';
import { SearchMembersQuery } from './queries/search-members/search-members.query';

@Controller()
export class AdminSearchRpcController {
  constructor(private readonly queryBus: QueryBus) {}

  @MessagePattern(MemberRpc.search)
  async search(@Payload() command: RpcCommand<unknown>): Promise<Page<MemberView>> {
    const filters = await validateDto(SearchMembersDto, command.data ?? {});
    assertAdminPermission(command.actor, 'members:read');
    return this.queryBus.execute(new SearchMembersQuery(filters));
  }
}
