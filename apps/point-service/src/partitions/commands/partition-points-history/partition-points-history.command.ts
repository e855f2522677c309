import { Command } from '@nestjs/cqrs';

/** Monthly partitions of `point_transaction` ready through `asOf`'s month plus the months ahead. */
export class PartitionPointsHistoryCommand extends Command<{
  created: string[];
  partitions: number;
}> {
  constructor(readonly asOf: Date) {
    super();
  }
}
