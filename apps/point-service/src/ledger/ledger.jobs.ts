import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Command } from '@nestjs/cqrs';
import { JobRegistry } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { ExpireHoldsCommand } from './commands/expire-holds/expire-holds.command';
import { ExpirePointsCommand } from './commands/expire-points/expire-points.command';
import { ReconcilePointsCommand } from './commands/reconcile-points/reconcile-points.command';
import { ReleaseFreezesCommand } from './commands/release-freezes/release-freezes.command';

/** The ledger's scheduled jobs (also run on demand by admins): each run is one command. */
@Injectable()
export class LedgerJobs implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.register('expire-holds', { everyMs: 60_000 }, (asOf) => new ExpireHoldsCommand(asOf));
    this.register('expire-points', { dailyAt: '00:10' }, (asOf) => new ExpirePointsCommand(asOf));
    this.register(
      'release-freezes',
      { everyMs: 3_600_000 },
      (asOf) => new ReleaseFreezesCommand(asOf),
    );
    this.register('reconcile-points', { dailyAt: '04:00' }, () => new ReconcilePointsCommand());
  }

  private register(
    name: string,
    schedule: Job['schedule'],
    commandAsOf: (asOf: Date) => Command<Record<string, unknown>>,
  ): void {
    this.registry.register({
      name,
      schedule,
      run: (asOf) => this.commandBus.execute(commandAsOf(asOf)),
    });
  }
}
