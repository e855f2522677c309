import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { AccountsEventsConsumer } from './accounts.events-consumer';
import { AccountsRpcController } from './accounts.rpc-controller';
import { OpenAccountHandler } from './commands/open-account/open-account.handler';
import { GetBalanceHandler } from './queries/get-balance/get-balance.handler';

@Module({
  imports: [LedgerModule],
  controllers: [AccountsRpcController],
  providers: [OpenAccountHandler, GetBalanceHandler, AccountsEventsConsumer],
})
export class AccountsModule {}
