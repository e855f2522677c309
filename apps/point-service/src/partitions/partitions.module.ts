import { Module } from '@nestjs/common';
import {
  PARTITION_MONTHS_AHEAD,
  POINT_HISTORY_PARTITION_MONTHS_AHEAD,
  PartitionPointsHistoryHandler,
} from './commands/partition-points-history/partition-points-history.handler';
import { PartitionsJobs } from './partitions.jobs';
import { PointHistoryPartitions } from './point-history-partitions';

@Module({
  providers: [
    { provide: PARTITION_MONTHS_AHEAD, useValue: POINT_HISTORY_PARTITION_MONTHS_AHEAD },
    PointHistoryPartitions,
    PartitionPointsHistoryHandler,
    PartitionsJobs,
  ],
})
export class PartitionsModule {}
