import { Module } from '@nestjs/common';
import {
  PARTITION_MONTHS_AHEAD,
  POINT_HISTORY_PARTITION_MONTHS_AHEAD,
  PartitionPointsHistoryJob,
} from './partition-points-history.job';
import { PointHistoryPartitions } from './point-history-partitions';

@Module({
  providers: [
    { provide: PARTITION_MONTHS_AHEAD, useValue: POINT_HISTORY_PARTITION_MONTHS_AHEAD },
    PointHistoryPartitions,
    PartitionPointsHistoryJob,
  ],
})
export class PartitionsModule {}
