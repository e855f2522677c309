import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ErrorCode, parseMoney } from '@member-system/contracts';
import type { LevelView } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { MemberCache } from '../../../members/member-cache';
import { LADDER_EDIT, assertLadder, lockedRungs } from '../../ladder-edit';
import type { Rung } from '../../level-ladder';
import { Level } from '../../level.entity';
import { toLevelView } from '../../level-view.mapper';
import { ReevaluateLevelsJob } from '../reevaluate-levels/reevaluate-levels.job';
import { UpdateLevelCommand } from './update-level.command';

/** The ladder must stay a ladder; a threshold change re-evaluates every member in the background. */
@CommandHandler(UpdateLevelCommand)
export class UpdateLevelHandler implements ICommandHandler<UpdateLevelCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reevaluate: ReevaluateLevelsJob,
    private readonly cache: MemberCache,
  ) {}

  async execute({ levelId, changes }: UpdateLevelCommand): Promise<LevelView> {
    const { view, thresholdChanged } = await withTransaction(
      this.dataSource,
      async (manager) => {
        const rungs = await lockedRungs(manager);
        const current = rungs.find((rung) => rung.id === levelId);
        if (!current) throw new AppException(ErrorCode.LevelNotFound, 'No such level', { levelId });
        const updated: Rung = {
          id: current.id,
          name: changes.name ?? current.name,
          minTotalSpentCents:
            changes.minTotalSpent === undefined
              ? current.minTotalSpentCents
              : parseMoney(changes.minTotalSpent),
        };
        assertLadder(rungs.map((rung) => (rung.id === updated.id ? updated : rung)));
        await manager.update(
          Level,
          { id: updated.id },
          { name: updated.name, minTotalSpentCents: updated.minTotalSpentCents },
        );
        return {
          view: toLevelView(updated),
          thresholdChanged: updated.minTotalSpentCents !== current.minTotalSpentCents,
        };
      },
      LADDER_EDIT,
    );
    await this.cache.invalidateLadder();
    if (thresholdChanged) this.reevaluate.startInBackground();
    return view;
  }
}
