import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { AdminSearchModule } from './admin-search/admin-search.module';
import { BirthdaysModule } from './birthdays/birthdays.module';
import { ErasureModule } from './erasure/erasure.module';
import { LevelsModule } from './levels/levels.module';
import { MembersModule } from './members/members.module';
import { ProfilesModule } from './profiles/profiles.module';
import { SpendingModule } from './spending/spending.module';
import { memberServiceDefinition } from './service.definition';

startService(memberServiceDefinition(), [
  MembersModule,
  LevelsModule,
  SpendingModule,
  BirthdaysModule,
  ProfilesModule,
  AdminSearchModule,
  ErasureModule,
]);
