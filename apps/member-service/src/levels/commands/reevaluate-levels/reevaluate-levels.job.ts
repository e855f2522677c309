import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Logger } from 'pino';
import { Clock, JobRegistry, LOGGER } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { ReevaluateLevelsCommand } from './reevaluate-levels.command';

/**
 * Recomputes every member's level: after the ladder changes (started in the background), nightly
 * (to finish what a crash interrupted) and on demand.
 */
@Injectable()
export class ReevaluateLevelsJob implements Job, OnModuleInit {
  readonly name = 'reevaluate-levels';
  readonly schedule = { dailyAt: '03:30' };
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly commandBus: CommandBus,
    private readonly registry: JobRegistry,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** After a ladder edit: one pass at a time; an edit during a pass starts another after it. */
  startInBackground(): void {
    const previous = this.running ?? Promise.resolve();
    const pass = previous
      .then(() => this.run(this.clock.now()))
      .then((result) =>
        this.logger.info(
          { job: this.name, ...result },
          'levels re-evaluated after a ladder change',
        ),
      )
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'level re-evaluation failed; the nightly run retries'),
      )
      .finally(() => {
        if (this.running === pass) this.running = undefined;
      });
    this.running = pass;
  }

  async run(asOf: Date): Promise<Record<string, unknown>> {
    return { ...(await this.commandBus.execute(new ReevaluateLevelsCommand(asOf))) };
  }
}
