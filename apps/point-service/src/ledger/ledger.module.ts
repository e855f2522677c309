import { Module } from '@nestjs/common';
import { CheckInHandler } from './commands/check-in/check-in.handler';
import { EarnPointsHandler } from './commands/earn-points/earn-points.handler';
import { UsePointsHandler } from './commands/use-points/use-points.handler';
import { Ledger } from './ledger';
import { LedgerEventsConsumer } from './ledger.events-consumer';
import { LedgerRpcController } from './ledger.rpc-controller';
import { ListTransactionsHandler } from './queries/list-transactions/list-transactions.handler';

@Module({
  controllers: [LedgerRpcController],
  providers: [
    Ledger,
    EarnPointsHandler,
    CheckInHandler,
    UsePointsHandler,
    ListTransactionsHandler,
    LedgerEventsConsumer,
  ],
})
export class LedgerModule {}
