import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { AdminSearchRpcController } from './admin-search.rpc-controller';
import { SearchMembersHandler } from './queries/search-members/search-members.handler';

/** The admin console's member search. */
@Module({
  imports: [MembersModule],
  controllers: [AdminSearchRpcController],
  providers: [SearchMembersHandler],
})
export class AdminSearchModule {}
