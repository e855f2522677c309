import { Module } from '@nestjs/common';
import { RegisterMemberHandler } from './commands/register-member/register-member.handler';
import { RegisterPlatformUserHandler } from './commands/register-platform-user/register-platform-user.handler';
import { MemberCache } from './member-cache';
import { MemberCacheWarmer } from './member-cache-warmer';
import { MemberPii } from './member-pii';
import { MemberRegistrar } from './member-registrar';
import { MemberRegistrationCounter } from './member-registration.counter';
import { MembersEventsConsumer } from './members.events-consumer';
import { MembersRpcController } from './members.rpc-controller';
import { PlatformFieldsDroppedReporter } from './platform-fields-dropped.reporter';
import { GetMemberHandler } from './queries/get-member/get-member.handler';
import { LookupMemberHandler } from './queries/lookup-member/lookup-member.handler';

@Module({
  controllers: [MembersRpcController],
  providers: [
    MemberPii,
    MemberCache,
    MemberCacheWarmer,
    MemberRegistrar,
    MemberRegistrationCounter,
    PlatformFieldsDroppedReporter,
    RegisterMemberHandler,
    RegisterPlatformUserHandler,
    GetMemberHandler,
    LookupMemberHandler,
    MembersEventsConsumer,
  ],
  exports: [MemberPii, MemberCache, MemberRegistrar],
})
export class MembersModule {}
