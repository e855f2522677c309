import { Command } from '@nestjs/cqrs';

export interface ReevaluationReport {
  members: number;
  changed: number;
}

/** Recomputes every member's level as of `asOf`. */
export class ReevaluateLevelsCommand extends Command<ReevaluationReport> {
  constructor(readonly asOf: Date) {
    super();
  }
}
