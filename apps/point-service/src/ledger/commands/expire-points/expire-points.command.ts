import { Command } from '@nestjs/cqrs';

/** The `expire-points` job's run as of `asOf`; its result is the run's summary. */
export class ExpirePointsCommand extends Command<Record<string, unknown>> {
  constructor(readonly asOf: Date) {
    super();
  }
}
