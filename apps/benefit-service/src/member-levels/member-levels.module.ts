import { Module } from '@nestjs/common';
import { ProjectMemberLevelHandler } from './commands/project-member-level/project-member-level.handler';
import { MemberLevelsEventsConsumer } from './member-levels.events-consumer';

@Module({ providers: [ProjectMemberLevelHandler, MemberLevelsEventsConsumer] })
export class MemberLevelsModule {}
