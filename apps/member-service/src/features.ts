import type { Type } from '@nestjs/common';
import { AdminSearchModule } from './admin-search/admin-search.module';
import { BirthdaysModule } from './birthdays/birthdays.module';
import { ErasureModule } from './erasure/erasure.module';
import { LevelsModule } from './levels/levels.module';
import { MembersModule } from './members/members.module';
import { ProfilesModule } from './profiles/profiles.module';
import { SpendingModule } from './spending/spending.module';

/** Every feature module of member-service, for the app and for tests that run it whole. */
export const MEMBER_SERVICE_FEATURES: Type[] = [
  MembersModule,
  LevelsModule,
  SpendingModule,
  BirthdaysModule,
  ProfilesModule,
  AdminSearchModule,
  ErasureModule,
];
