import { Module } from '@nestjs/common';
import { AdjustPointsHandler } from './commands/adjust-points/adjust-points.handler';
import { AdminFreezesHandler } from './commands/admin-freezes/admin-freezes.handler';
import { CheckInHandler } from './commands/check-in/check-in.handler';
import { EarnBatchHandler } from './commands/earn-batch/earn-batch.handler';
import { EarnPointsHandler } from './commands/earn-points/earn-points.handler';
import { UsePointsHandler } from './commands/use-points/use-points.handler';
import { ExpirePointsJob } from './commands/expire-points/expire-points.job';
import { HoldsHandler } from './commands/holds/holds.handler';
import { ReconcilePointsJob } from './commands/reconcile-points/reconcile-points.job';
import { ReleaseFreezesJob } from './commands/release-freezes/release-freezes.job';
import { Freezes } from './core/freezes';
import { Refunds } from './core/refunds';
import { Holds } from './core/holds';
import { AccountDirectory } from './account-directory';
import { PointsReadCache } from './points-read-cache';
import { BulkCredits } from './core/bulk-credits';
import { Expiry } from './core/expiry';
import { Ledger } from './core/ledger';
import { LedgerStore } from './core/ledger-store';
import { LedgerMetrics } from './core/ledger-metrics';
import { LevelMultipliers } from './level-multipliers';
import { LedgerEventsConsumer } from './ledger.events-consumer';
import { HoldsRpcController } from './holds.rpc-controller';
import { LedgerRpcController } from './ledger.rpc-controller';
import { ListExpiringHandler } from './queries/list-expiring/list-expiring.handler';
import { ListTransactionsHandler } from './queries/list-transactions/list-transactions.handler';

@Module({
  controllers: [LedgerRpcController, HoldsRpcController],
  providers: [
    AccountDirectory,
    Ledger,
    LedgerStore,
    LedgerMetrics,
    BulkCredits,
    Expiry,
    PointsReadCache,
    LevelMultipliers,
    AdjustPointsHandler,
    AdminFreezesHandler,
    Freezes,
    EarnBatchHandler,
    Holds,
    HoldsHandler,
    ExpirePointsJob,
    Refunds,
    ReleaseFreezesJob,
    ReconcilePointsJob,
    EarnPointsHandler,
    CheckInHandler,
    UsePointsHandler,
    ListTransactionsHandler,
    ListExpiringHandler,
    LedgerEventsConsumer,
  ],
  exports: [AccountDirectory, PointsReadCache, Ledger],
})
export class LedgerModule {}
