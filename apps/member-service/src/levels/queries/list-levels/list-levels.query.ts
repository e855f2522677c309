import { Query } from '@nestjs/cqrs';
import type { LevelView, ListQueryDto, Page } from '@member-system/contracts';

/** `GET /levels`: the ladder, lowest threshold first, a page at a time. */
export class ListLevelsQuery extends Query<Page<LevelView>> {
  constructor(readonly page: ListQueryDto) {
    super();
  }
}
