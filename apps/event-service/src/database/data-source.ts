import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { MessagingTables1764028800000 } from '@member-system/shared/messaging';
import { JobTables1764028800001 } from '@member-system/shared/service';

/** Entities and migrations of `ms_event`; campaigns and participations arrive with the campaign features. */
export const eventDatabase: ServiceDataSourceSpec = {
  entities: [],
  migrations: [MessagingTables1764028800000, JobTables1764028800001],
  migrationsTableName: 'event_migrations',
};
