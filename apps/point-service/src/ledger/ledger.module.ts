import { Module } from '@nestjs/common';
import { AdjustPointsHandler } from './commands/adjust-points/adjust-points.handler';
import { ApproveAdjustmentHandler } from './commands/approve-adjustment/approve-adjustment.handler';
import { CaptureHoldHandler } from './commands/capture-hold/capture-hold.handler';
import { CheckInHandler } from './commands/check-in/check-in.handler';
import { EarnBatchHandler } from './commands/earn-batch/earn-batch.handler';
import { EarnBirthdayPointsHandler } from './commands/earn-birthday-points/earn-birthday-points.handler';
import { EarnCampaignPointsHandler } from './commands/earn-campaign-points/earn-campaign-points.handler';
import { EarnOrderPointsHandler } from './commands/earn-order-points/earn-order-points.handler';
import { EarnReviewPointsHandler } from './commands/earn-review-points/earn-review-points.handler';
import { ExpireHoldsHandler } from './commands/expire-holds/expire-holds.handler';
import { ExpirePointsHandler } from './commands/expire-points/expire-points.handler';
import { FreezePointsHandler } from './commands/freeze-points/freeze-points.handler';
import { FreezeRefundPointsHandler } from './commands/freeze-refund-points/freeze-refund-points.handler';
import { RejectAdjustmentHandler } from './commands/reject-adjustment/reject-adjustment.handler';
import { ReconcilePointsHandler } from './commands/reconcile-points/reconcile-points.handler';
import { ReleaseFreezesHandler } from './commands/release-freezes/release-freezes.handler';
import { ReleaseHoldHandler } from './commands/release-hold/release-hold.handler';
import { ReserveHoldHandler } from './commands/reserve-hold/reserve-hold.handler';
import { RestoreCancelledOrderHandler } from './commands/restore-cancelled-order/restore-cancelled-order.handler';
import { ReverseRefundPointsHandler } from './commands/reverse-refund-points/reverse-refund-points.handler';
import { UnfreezePointsHandler } from './commands/unfreeze-points/unfreeze-points.handler';
import { UnfreezeRefundPointsHandler } from './commands/unfreeze-refund-points/unfreeze-refund-points.handler';
import { UsePointsHandler } from './commands/use-points/use-points.handler';
import { BulkCredits } from './core/bulk-credits';
import { Expiry } from './core/expiry';
import { Freezes } from './core/freezes';
import { Holds } from './core/holds';
import { Ledger } from './core/ledger';
import { LedgerStore } from './core/ledger-store';
import { LedgerMetrics } from './core/ledger-metrics';
import { Refunds } from './core/refunds';
import { AccountDirectory } from './account-directory';
import { HoldsRpcController } from './holds.rpc-controller';
import { LedgerEventsConsumer } from './ledger.events-consumer';
import { LedgerJobs } from './ledger.jobs';
import { LedgerRpcController } from './ledger.rpc-controller';
import { LevelMultipliers } from './level-multipliers';
import { PointApprovals } from './point-approvals';
import { PointApprovalsRpcController } from './point-approvals.rpc-controller';
import { PointsReadCache } from './points-read-cache';
import { GetPointApprovalHandler } from './queries/get-point-approval/get-point-approval.handler';
import { ListExpiringHandler } from './queries/list-expiring/list-expiring.handler';
import { ListPointApprovalsHandler } from './queries/list-point-approvals/list-point-approvals.handler';
import { ListTransactionsHandler } from './queries/list-transactions/list-transactions.handler';

@Module({
  controllers: [LedgerRpcController, HoldsRpcController, PointApprovalsRpcController],
  providers: [
    // The ledger core and what it reads with.
    AccountDirectory,
    Ledger,
    LedgerStore,
    LedgerMetrics,
    BulkCredits,
    Expiry,
    Freezes,
    Holds,
    Refunds,
    PointsReadCache,
    LevelMultipliers,
    PointApprovals,
    // Use cases.
    AdjustPointsHandler,
    ApproveAdjustmentHandler,
    CaptureHoldHandler,
    CheckInHandler,
    EarnBatchHandler,
    EarnBirthdayPointsHandler,
    EarnCampaignPointsHandler,
    EarnOrderPointsHandler,
    EarnReviewPointsHandler,
    ExpireHoldsHandler,
    ExpirePointsHandler,
    FreezePointsHandler,
    FreezeRefundPointsHandler,
    ReconcilePointsHandler,
    RejectAdjustmentHandler,
    ReleaseFreezesHandler,
    ReleaseHoldHandler,
    ReserveHoldHandler,
    RestoreCancelledOrderHandler,
    ReverseRefundPointsHandler,
    UnfreezePointsHandler,
    UnfreezeRefundPointsHandler,
    UsePointsHandler,
    ListExpiringHandler,
    GetPointApprovalHandler,
    ListPointApprovalsHandler,
    ListTransactionsHandler,
    // Transports.
    LedgerEventsConsumer,
    LedgerJobs,
  ],
  exports: [AccountDirectory, PointsReadCache, Ledger],
})
export class LedgerModule {}
