import { Command } from '@nestjs/cqrs';
import type { CreateLevelDto, LevelView } from '@member-system/contracts';

/** An admin adds a rung to the ladder. */
export class CreateLevelCommand extends Command<LevelView> {
  constructor(readonly level: CreateLevelDto) {
    super();
  }
}
