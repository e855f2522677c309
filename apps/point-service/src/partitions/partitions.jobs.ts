import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { JobRegistry } from '@member-system/shared/service';
import { PartitionPointsHistoryCommand } from './commands/partition-points-history/partition-points-history.command';

/** Daily at 02:00 business time, and on demand by admins: the history's partitions ahead. */
@Injectable()
export class PartitionsJobs implements OnModuleInit {
  constructor(
    private readonly registry: JobRegistry,
    private readonly commandBus: CommandBus,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'partition-points-history',
      schedule: { dailyAt: '02:00' },
      run: (asOf) => this.commandBus.execute(new PartitionPointsHistoryCommand(asOf)),
    });
  }
}
