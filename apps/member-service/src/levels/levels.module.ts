import { Module } from '@nestjs/common';
import { MemberServiceConfig } from '../config/member-service.config';
import { MembersModule } from '../members/members.module';
import { ReevaluateLevelsJob } from './commands/reevaluate-levels/reevaluate-levels.job';
import { SaveLevelHandler } from './commands/save-level/save-level.handler';
import { SetMemberLevelHandler } from './commands/set-member-level/set-member-level.handler';
import { LevelChanger } from './level-changer';
import { LevelsRpcController } from './levels.rpc-controller';
import { LevelProgressHandler } from './queries/level-progress/level-progress.handler';
import { ListLevelsHandler } from './queries/list-levels/list-levels.handler';
import { LEVEL_RULE, levelRuleNamed } from './rules/level-rules';

@Module({
  imports: [MembersModule],
  controllers: [LevelsRpcController],
  providers: [
    {
      provide: LEVEL_RULE,
      inject: [MemberServiceConfig],
      useFactory: (config: MemberServiceConfig) => levelRuleNamed(config.LEVEL_RULE),
    },
    LevelChanger,
    ListLevelsHandler,
    LevelProgressHandler,
    SaveLevelHandler,
    SetMemberLevelHandler,
    ReevaluateLevelsJob,
  ],
  exports: [LevelChanger],
})
export class LevelsModule {}
