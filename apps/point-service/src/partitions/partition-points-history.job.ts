import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { PointHistoryPartitions } from './point-history-partitions';

/**
 * How many months after the current one get their partition ahead of time. To become the setting
 * `POINT_HISTORY_PARTITION_MONTHS_AHEAD` of PointServiceConfig: then provide the token from there.
 */
export const POINT_HISTORY_PARTITION_MONTHS_AHEAD = 3;
export const PARTITION_MONTHS_AHEAD = Symbol('POINT_HISTORY_PARTITION_MONTHS_AHEAD');

/**
 * Daily at 02:00 business time, and on demand: keeps a partition per month of `point_transaction`
 * ready from where the existing ones end through `asOf`'s month plus the months ahead. Retention
 * (dropping old partitions) is not its business.
 */
@Injectable()
export class PartitionPointsHistoryJob implements Job, OnModuleInit {
  readonly name = 'partition-points-history';
  readonly schedule = { dailyAt: '02:00' };

  constructor(
    private readonly partitions: PointHistoryPartitions,
    private readonly registry: JobRegistry,
    @Inject(PARTITION_MONTHS_AHEAD) private readonly monthsAhead: number,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(asOf: Date): Promise<{ created: string[]; partitions: number }> {
    return this.partitions.ensure(asOf, this.monthsAhead);
  }
}
