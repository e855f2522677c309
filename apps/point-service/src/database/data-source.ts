import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { MessagingTables1764028800000 } from '@member-system/shared/messaging';
import { AdminJobTables1764028800900, JobTables1764028800001 } from '@member-system/shared/service';
import { CreatePointAccounts1764028800200 } from './migrations/1764028800200-create-point-accounts';
import { CreateLedger1764028800210 } from './migrations/1764028800210-create-ledger';
import { CreateHolds1764028800220 } from './migrations/1764028800220-create-holds';
import { CreateExpiryNotices1764028800230 } from './migrations/1764028800230-create-expiry-notices';
import { CreateFreezesAndReversals1764028800240 } from './migrations/1764028800240-create-freezes-and-reversals';
import { AddOperationResults1764028800250 } from './migrations/1764028800250-add-operation-results';
import { CreateLevelMultipliers1764028800260 } from './migrations/1764028800260-create-level-multipliers';
import { CoverMemberHistory1764028800270 } from './migrations/1764028800270-cover-member-history';
import { ScopeLedgerKeysToMembers1764028800280 } from './migrations/1764028800280-scope-ledger-keys-to-members';
import { OpaqueOrderIds1764028800290 } from './migrations/1764028800290-opaque-order-ids';
import { CreateAdjustmentApprovals1764028800300 } from './migrations/1764028800300-create-adjustment-approvals';

/** Entities and migrations of `ms_point`, shared by the app and its `migrate` entry. */
export const pointDatabase: ServiceDataSourceSpec = {
  entities: [],
  migrations: [
    MessagingTables1764028800000,
    JobTables1764028800001,
    CreatePointAccounts1764028800200,
    CreateLedger1764028800210,
    CreateHolds1764028800220,
    CreateExpiryNotices1764028800230,
    CreateFreezesAndReversals1764028800240,
    AddOperationResults1764028800250,
    CreateLevelMultipliers1764028800260,
    CoverMemberHistory1764028800270,
    ScopeLedgerKeysToMembers1764028800280,
    OpaqueOrderIds1764028800290,
    CreateAdjustmentApprovals1764028800300,
    AdminJobTables1764028800900,
  ],
  migrationsTableName: 'point_migrations',
  // The ledger sends a spend's or a credit's statements in three round trips between BEGIN and
  // COMMIT instead of one each (queryTogether).
  multipleStatements: true,
};
