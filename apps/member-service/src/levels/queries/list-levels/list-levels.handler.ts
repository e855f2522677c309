import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { formatCents } from '@member-system/contracts';
import type { LevelView } from '@member-system/contracts';
import { MemberCache } from '../../../members/member-cache';
import { Level } from '../../level.entity';

@Injectable()
export class ListLevelsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: MemberCache,
  ) {}

  async execute(): Promise<LevelView[]> {
    const levels = await this.cache.levels(async () =>
      (await this.dataSource.getRepository(Level).find({ order: { id: 'ASC' } })).map(toLevelView),
    );
    return levels ?? [];
  }
}

export function toLevelView(level: Pick<Level, 'id' | 'name' | 'minTotalSpentCents'>): LevelView {
  return { id: level.id, name: level.name, minTotalSpent: formatCents(level.minTotalSpentCents) };
}
