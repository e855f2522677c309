import type { Type } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module';
import { LedgerModule } from './ledger/ledger.module';
import { PartitionsModule } from './partitions/partitions.module';
import { ReportsModule } from './reports/reports.module';

/** Every feature module of point-service, for the app and for tests that run it whole. */
export const POINT_SERVICE_FEATURES: Type[] = [
  AccountsModule,
  LedgerModule,
  PartitionsModule,
  ReportsModule,
];
