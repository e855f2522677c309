import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import type { LevelView, ListQueryDto, Page } from '@member-system/contracts';
import { Keyset } from '@member-system/shared/database';
import { ReadDatabase } from '@member-system/shared/service';
import { MemberCache } from '../../../members/member-cache';
import { toLevelView } from '../../level-view.mapper';
import { ListLevelsQuery } from './list-levels.query';

interface LevelRow {
  id: number;
  name: string;
  min_total_spent_cents: string;
}

/** Lowest threshold first (the ladder keeps thresholds rising with the id, so also by id). */
const BY_THRESHOLD = new Keyset<LevelRow>(
  [
    { column: 'min_total_spent_cents', kind: 'count' },
    { column: 'id', kind: 'id' },
  ],
  'ASC',
  (row) => [String(row.min_total_spent_cents), String(row.id)],
);

@QueryHandler(ListLevelsQuery)
export class ListLevelsHandler implements IQueryHandler<ListLevelsQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly cache: MemberCache,
  ) {}

  async execute({ page }: ListLevelsQuery): Promise<Page<LevelView>> {
    const firstPage =
      page.cursor === undefined && (page.limit ?? PAGE_LIMIT_DEFAULT) === PAGE_LIMIT_DEFAULT;
    if (!firstPage) return this.page(page);
    return (await this.cache.firstLevelsPage(() => this.page(page))) ?? this.page(page);
  }

  private async page({
    cursor,
    limit = PAGE_LIMIT_DEFAULT,
  }: ListQueryDto): Promise<Page<LevelView>> {
    const after = cursor === undefined ? undefined : BY_THRESHOLD.after(cursor);
    const rows = await this.readDatabase.query<LevelRow[]>(
      `SELECT id, name, min_total_spent_cents FROM level
        ${after ? `WHERE ${after.sql}` : ''} ORDER BY ${BY_THRESHOLD.orderBy} LIMIT ?`,
      [...(after?.params ?? []), limit + 1],
    );
    return BY_THRESHOLD.page(rows, limit, (row) =>
      toLevelView({
        id: Number(row.id),
        name: row.name,
        minTotalSpentCents: Number(row.min_total_spent_cents),
      }),
    );
  }
}
