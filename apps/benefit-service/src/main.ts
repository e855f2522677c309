import 'reflect-metadata';
import { startService } from '@member-system/shared/service';
import { MemberLevelsModule } from './member-levels/member-levels.module';
import { benefitServiceDefinition } from './service.definition';

startService(benefitServiceDefinition, [MemberLevelsModule]);
