import { Command } from '@nestjs/cqrs';

/** The `expire-holds` job's run as of `asOf`; its result is the run's summary. */
export class ExpireHoldsCommand extends Command<Record<string, unknown>> {
  constructor(readonly asOf: Date) {
    super();
  }
}
