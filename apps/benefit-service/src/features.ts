import type { Type } from '@nestjs/common';
import { BenefitsModule } from './benefits/benefits.module';
import { MemberLevelsModule } from './member-levels/member-levels.module';

/** Every feature module of benefit-service, for the app and for tests that run it whole. */
export const BENEFIT_SERVICE_FEATURES: Type[] = [MemberLevelsModule, BenefitsModule];
