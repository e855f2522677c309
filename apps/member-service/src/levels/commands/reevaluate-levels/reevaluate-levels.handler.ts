import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { inUnitOfWork } from '../../../database/unit-of-work';
import { MemberCache } from '../../../members/member-cache';
import { lockMemberById } from '../../../members/member-locks';
import { LevelChanger } from '../../level-changer';
import { ReevaluateLevelsCommand } from './reevaluate-levels.command';
import type { ReevaluationReport } from './reevaluate-levels.command';

const BATCH_SIZE = 200;

/** Every member's level, recomputed in batches of short transactions. */
@CommandHandler(ReevaluateLevelsCommand)
export class ReevaluateLevelsHandler implements ICommandHandler<ReevaluateLevelsCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly levels: LevelChanger,
    private readonly cache: MemberCache,
  ) {}

  async execute({ asOf }: ReevaluateLevelsCommand): Promise<ReevaluationReport> {
    let afterId = '0';
    let members = 0;
    let changed = 0;
    for (;;) {
      const ids = (
        await this.dataSource.query<Array<{ id: string }>>(
          'SELECT id FROM member WHERE id > ? AND erased_at IS NULL ORDER BY id LIMIT ?',
          [afterId, BATCH_SIZE],
        )
      ).map((row) => row.id);
      if (ids.length === 0) break;
      const changedIds = await inUnitOfWork(this.dataSource, async (unit) => {
        const changedInBatch: string[] = [];
        for (const id of ids) {
          const member = await lockMemberById(unit.manager, id);
          if (!member) continue;
          const before = member.levelId;
          await this.levels.reevaluate(
            unit,
            member,
            { kind: 'ladder-change', reason: 'ladder-change' },
            asOf,
          );
          if (member.levelId !== before) changedInBatch.push(member.id);
        }
        return changedInBatch;
      });
      await this.cache.invalidateMembers(...changedIds);
      changed += changedIds.length;
      members += ids.length;
      afterId = ids[ids.length - 1] as string;
    }
    return { members, changed };
  }
}
