import { Module } from '@nestjs/common';
import { ProjectMemberLevelHandler } from './commands/project-member-level/project-member-level.handler';
import { MemberLevels } from './member-levels';
import { MemberLevelsEventsConsumer } from './member-levels.events-consumer';

@Module({
  providers: [ProjectMemberLevelHandler, MemberLevels, MemberLevelsEventsConsumer],
  exports: [MemberLevels],
})
export class MemberLevelsModule {}
