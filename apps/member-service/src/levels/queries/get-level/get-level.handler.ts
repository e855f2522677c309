import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { LevelView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { Level } from '../../level.entity';
import { toLevelView } from '../../level-view.mapper';
import { GetLevelQuery } from './get-level.query';

/** Read on the primary: a level created a moment ago must be found (a replica may lag). */
@QueryHandler(GetLevelQuery)
export class GetLevelHandler implements IQueryHandler<GetLevelQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ levelId }: GetLevelQuery): Promise<LevelView> {
    const level = await this.dataSource.manager.findOne(Level, { where: { id: levelId } });
    if (!level) throw new AppException(ErrorCode.LevelNotFound, 'No such level', { levelId });
    return toLevelView(level);
  }
}
