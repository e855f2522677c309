import { Command } from '@nestjs/cqrs';

/** The `reconcile-points` job's run; its result is the run's summary. */
export class ReconcilePointsCommand extends Command<Record<string, unknown>> {}
