import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { MessagingTables1764028800000 } from '@member-system/shared/messaging';
import {
  AdminJobTables1764028800900,
  CreateMemberLevelProjection1764028800300,
  JobTables1764028800001,
} from '@member-system/shared/service';
import { CreateCampaigns1764028800400 } from './migrations/1764028800400-create-campaigns';
import { CreateLevelBenefits1764028800410 } from './migrations/1764028800410-create-level-benefits';
import { OpaqueOrderIds1764028800420 } from './migrations/1764028800420-opaque-order-ids';
import { IndexOpenCampaigns1764028800430 } from './migrations/1764028800430-index-open-campaigns';

/** Entities and migrations of `ms_event`, shared by the app and its `migrate` entry. */
export const eventDatabase: ServiceDataSourceSpec = {
  entities: [],
  migrations: [
    MessagingTables1764028800000,
    JobTables1764028800001,
    CreateMemberLevelProjection1764028800300,
    CreateCampaigns1764028800400,
    CreateLevelBenefits1764028800410,
    OpaqueOrderIds1764028800420,
    IndexOpenCampaigns1764028800430,
    AdminJobTables1764028800900,
  ],
  migrationsTableName: 'event_migrations',
};
