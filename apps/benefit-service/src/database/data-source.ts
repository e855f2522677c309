import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { MessagingTables1764028800000 } from '@member-system/shared/messaging';
import {
  AdminJobTables1764028800900,
  CreateMemberLevelProjection1764028800300,
  JobTables1764028800001,
} from '@member-system/shared/service';
import { CreateBenefits1764028800310 } from './migrations/1764028800310-create-benefits';
import { CreateBenefitGrants1764028800320 } from './migrations/1764028800320-create-benefit-grants';
import { AnnounceLevelBenefits1764028800330 } from './migrations/1764028800330-announce-level-benefits';
import { OpaqueOrderIds1764028800340 } from './migrations/1764028800340-opaque-order-ids';

/** Entities and migrations of `ms_benefit`, shared by the app and its `migrate` entry. */
export const benefitDatabase: ServiceDataSourceSpec = {
  entities: [],
  migrations: [
    MessagingTables1764028800000,
    JobTables1764028800001,
    CreateMemberLevelProjection1764028800300,
    CreateBenefits1764028800310,
    CreateBenefitGrants1764028800320,
    AnnounceLevelBenefits1764028800330,
    OpaqueOrderIds1764028800340,
    AdminJobTables1764028800900,
  ],
  migrationsTableName: 'benefit_migrations',
};
