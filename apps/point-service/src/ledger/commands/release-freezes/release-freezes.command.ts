import { Command } from '@nestjs/cqrs';

/** The `release-freezes` job's run as of `asOf`; its result is the run's summary. */
export class ReleaseFreezesCommand extends Command<Record<string, unknown>> {
  constructor(readonly asOf: Date) {
    super();
  }
}
