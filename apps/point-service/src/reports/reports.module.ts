import { Module } from '@nestjs/common';
import { LedgerExportPageHandler } from './queries/ledger-export-page/ledger-export-page.handler';
import { PointsLiabilityHandler } from './queries/points-liability/points-liability.handler';
import { PointsMonthlyHandler } from './queries/points-monthly/points-monthly.handler';
import { TopEarningSourcesHandler } from './queries/top-earning-sources/top-earning-sources.handler';
import { ReportsRpcController } from './reports.rpc-controller';

/** Read-only reports over the ledger's tables (SQL aggregates; the ledger core stays the writer). */
@Module({
  controllers: [ReportsRpcController],
  providers: [
    PointsLiabilityHandler,
    PointsMonthlyHandler,
    TopEarningSourcesHandler,
    LedgerExportPageHandler,
  ],
})
export class ReportsModule {}
