import { Query } from '@nestjs/cqrs';
import type { LevelProgressView } from '@member-system/contracts';

/** `GET /members/me/level-progress`: where the member stands on the ladder and what the next rung needs. */
export class LevelProgressQuery extends Query<LevelProgressView> {
  constructor(readonly userId: string) {
    super();
  }
}
