import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { MembersModule } from './members/members.module';
import { memberServiceDefinition } from './service.definition';

startService(memberServiceDefinition(), [MembersModule]);
