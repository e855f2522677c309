import { Command } from '@nestjs/cqrs';
import type { LevelView, UpdateLevelDto } from '@member-system/contracts';

/** An admin renames a level or moves its threshold. */
export class UpdateLevelCommand extends Command<LevelView> {
  constructor(
    readonly levelId: number,
    readonly changes: UpdateLevelDto,
  ) {
    super();
  }
}
