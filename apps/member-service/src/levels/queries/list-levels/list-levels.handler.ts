import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { LevelView } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { MemberCache } from '../../../members/member-cache';
import { Level } from '../../level.entity';
import { toLevelView } from '../../level-view.mapper';
import { ListLevelsQuery } from './list-levels.query';

@QueryHandler(ListLevelsQuery)
export class ListLevelsHandler implements IQueryHandler<ListLevelsQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly cache: MemberCache,
  ) {}

  async execute(): Promise<LevelView[]> {
    const levels = await this.cache.levels(() =>
      this.readDatabase.read(async (manager) =>
        (await manager.find(Level, { order: { id: 'ASC' } })).map(toLevelView),
      ),
    );
    return levels ?? [];
  }
}
