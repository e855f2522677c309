import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import { MessagingTables1764028800000 } from '@member-system/shared/messaging';
import { AdminJobTables1764028800900, JobTables1764028800001 } from '@member-system/shared/service';
import { Level } from '../levels/level.entity';
import { Member } from '../members/entities/member.entity';
import { CreateLevelsAndMembers1764028800100 } from './migrations/1764028800100-create-levels-and-members';
import { MemberProfileLevelsAndSpending1764028800110 } from './migrations/1764028800110-member-profile-levels-and-spending';
import { OpaqueOrderIds1764028800120 } from './migrations/1764028800120-opaque-order-ids';

/** Entities and migrations of `ms_member`, shared by the app and its `migrate` entry. */
export const memberDatabase: ServiceDataSourceSpec = {
  entities: [Level, Member],
  migrations: [
    MessagingTables1764028800000,
    JobTables1764028800001,
    CreateLevelsAndMembers1764028800100,
    MemberProfileLevelsAndSpending1764028800110,
    OpaqueOrderIds1764028800120,
    AdminJobTables1764028800900,
  ],
  migrationsTableName: 'member_migrations',
  // An order's credit sends its statements in two round trips between BEGIN and COMMIT instead
  // of one each (queryTogether), and so does a level change.
  multipleStatements: true,
};
