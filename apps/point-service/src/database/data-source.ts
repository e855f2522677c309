import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { MessagingTables1764028800000 } from '@member-system/shared/messaging';
import { JobTables1764028800001 } from '@member-system/shared/service';
import { PointAccount } from '../accounts/entities/point-account.entity';
import { CreatePointAccounts1764028800200 } from './migrations/1764028800200-create-point-accounts';

/** Entities and migrations of `ms_point`, shared by the app and its `migrate` entry. */
export const pointDatabase: ServiceDataSourceSpec = {
  entities: [PointAccount],
  migrations: [
    MessagingTables1764028800000,
    JobTables1764028800001,
    CreatePointAccounts1764028800200,
  ],
  migrationsTableName: 'point_migrations',
};
