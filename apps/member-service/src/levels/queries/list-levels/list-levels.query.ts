import { Query } from '@nestjs/cqrs';
import type { LevelView } from '@member-system/contracts';

/** `GET /levels`: the ladder, lowest level first. */
export class ListLevelsQuery extends Query<LevelView[]> {}
