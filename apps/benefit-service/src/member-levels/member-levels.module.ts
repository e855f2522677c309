import { Module } from '@nestjs/common';
import { MemberLevelProjection } from '@member-system/shared/service';
import { MemberLevels } from './member-levels';

@Module({ providers: [MemberLevelProjection, MemberLevels], exports: [MemberLevels] })
export class MemberLevelsModule {}
