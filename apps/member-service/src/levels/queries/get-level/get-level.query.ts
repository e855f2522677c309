import { Query } from '@nestjs/cqrs';
import type { LevelView } from '@member-system/contracts';

/** One level, for a service that names it (a campaign's `minLevelId`). */
export class GetLevelQuery extends Query<LevelView> {
  constructor(readonly levelId: number) {
    super();
  }
}
