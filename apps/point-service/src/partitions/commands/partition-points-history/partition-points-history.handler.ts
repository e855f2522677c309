import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { PointHistoryPartitions } from '../../point-history-partitions';
import { PartitionPointsHistoryCommand } from './partition-points-history.command';

/**
 * How many months after the current one get their partition ahead of time. To become the setting
 * `POINT_HISTORY_PARTITION_MONTHS_AHEAD` of PointServiceConfig: then provide the token from there.
 */
export const POINT_HISTORY_PARTITION_MONTHS_AHEAD = 3;
export const PARTITION_MONTHS_AHEAD = Symbol('POINT_HISTORY_PARTITION_MONTHS_AHEAD');

/**
 * Keeps a partition per month of `point_transaction` ready from where the existing ones end
 * through `asOf`'s month plus the months ahead. Retention (dropping old partitions) is not its
 * business.
 */
@CommandHandler(PartitionPointsHistoryCommand)
export class PartitionPointsHistoryHandler implements ICommandHandler<PartitionPointsHistoryCommand> {
  constructor(
    private readonly partitions: PointHistoryPartitions,
    @Inject(PARTITION_MONTHS_AHEAD) private readonly monthsAhead: number,
  ) {}

  execute({
    asOf,
  }: PartitionPointsHistoryCommand): Promise<{ created: string[]; partitions: number }> {
    return this.partitions.ensure(asOf, this.monthsAhead);
  }
}
