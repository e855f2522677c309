import { Module } from '@nestjs/common';
import { RegisterMemberHandler } from './commands/register-member/register-member.handler';
import { MemberCache } from './member-cache';
import { MemberCacheWarmer } from './member-cache-warmer';
import { MemberPii } from './member-pii';
import { MembersEventsConsumer } from './members.events-consumer';
import { MembersRpcController } from './members.rpc-controller';
import { GetMemberHandler } from './queries/get-member/get-member.handler';

@Module({
  controllers: [MembersRpcController],
  providers: [
    MemberPii,
    MemberCache,
    MemberCacheWarmer,
    RegisterMemberHandler,
    GetMemberHandler,
    MembersEventsConsumer,
  ],
  exports: [MemberPii, MemberCache, RegisterMemberHandler],
})
export class MembersModule {}
