import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ErrorCode, parseMoney } from '@member-system/contracts';
import type { LevelView } from '@member-system/contracts';
import { isDuplicateKeyError, withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { MemberCache } from '../../../members/member-cache';
import { LADDER_EDIT, assertLadder, lockedRungs } from '../../ladder-edit';
import { Level } from '../../level.entity';
import { toLevelView } from '../../level-view.mapper';
import { ReevaluateLevelsJob } from '../reevaluate-levels/reevaluate-levels.job';
import { CreateLevelCommand } from './create-level.command';

/** The new level must keep the ladder a ladder; every member is then re-evaluated in the background. */
@CommandHandler(CreateLevelCommand)
export class CreateLevelHandler implements ICommandHandler<CreateLevelCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reevaluate: ReevaluateLevelsJob,
    private readonly cache: MemberCache,
  ) {}

  async execute({ level }: CreateLevelCommand): Promise<LevelView> {
    const rung = {
      id: level.id,
      name: level.name,
      minTotalSpentCents: parseMoney(level.minTotalSpent),
    };
    const view = await withTransaction(
      this.dataSource,
      async (manager) => {
        const rungs = await lockedRungs(manager);
        if (rungs.some((existing) => existing.id === rung.id)) {
          throw new AppException(ErrorCode.LevelExists, `Level ${rung.id} exists already`, {
            levelId: rung.id,
          });
        }
        assertLadder([...rungs, rung]);
        try {
          await manager.insert(Level, rung);
        } catch (error) {
          if (isDuplicateKeyError(error)) {
            throw new AppException(
              ErrorCode.LevelExists,
              'A level with that id or threshold exists already',
            );
          }
          throw error;
        }
        return toLevelView(rung);
      },
      LADDER_EDIT,
    );
    await this.cache.invalidateLadder();
    this.reevaluate.startInBackground();
    return view;
  }
}
