import { Module } from '@nestjs/common';
import { MemberServiceConfig } from '../config/member-service.config';
import { MembersModule } from '../members/members.module';
import { CreateLevelHandler } from './commands/create-level/create-level.handler';
import { ReevaluateLevelsHandler } from './commands/reevaluate-levels/reevaluate-levels.handler';
import { ReevaluateLevelsJob } from './commands/reevaluate-levels/reevaluate-levels.job';
import { SetMemberLevelHandler } from './commands/set-member-level/set-member-level.handler';
import { UpdateLevelHandler } from './commands/update-level/update-level.handler';
import { LevelChanger } from './level-changer';
import { LevelUpgradeCounter } from './level-upgrade.counter';
import { LevelsRpcController } from './levels.rpc-controller';
import { GetLevelHandler } from './queries/get-level/get-level.handler';
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
    LevelUpgradeCounter,
    ListLevelsHandler,
    GetLevelHandler,
    LevelProgressHandler,
    CreateLevelHandler,
    UpdateLevelHandler,
    SetMemberLevelHandler,
    ReevaluateLevelsHandler,
    ReevaluateLevelsJob,
  ],
  exports: [LevelChanger],
})
export class LevelsModule {}
