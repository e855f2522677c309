import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { EraseMemberHandler } from './commands/erase-member/erase-member.handler';
import { ErasureRpcController } from './erasure.rpc-controller';

/** The right to erasure: a member's PII destroyed, their ledger kept. */
@Module({
  imports: [MembersModule],
  controllers: [ErasureRpcController],
  providers: [EraseMemberHandler],
})
export class ErasureModule {}
