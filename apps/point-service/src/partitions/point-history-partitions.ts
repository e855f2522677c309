import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { QueryRunner } from 'typeorm';
import type { ExistingPartition } from './partition-plan';
import { planMonthlyPartitions, reorganizeStatement } from './partition-plan';

export const POINT_HISTORY_TABLE = 'point_transaction';

/** Per schema, so services (and test schemas) on one server do not wait for each other. */
const LOCK_SUFFIX = '.point-history-partitions';
/** How long a run waits for another run (replica or admin) that is changing the partitions. */
const LOCK_WAIT_SECONDS = 120;
/**
 * How long the ALTER waits for the table's metadata lock (long transactions on the table) before
 * giving up; the server's default is a year, and queries queue up behind a waiting ALTER.
 */
const METADATA_LOCK_WAIT_SECONDS = 30;

/** Errors of a REORGANIZE that raced with another change of the partitions. */
const RACE_ERRNOS = new Set([
  1493, // ER_RANGE_NOT_INCREASING_ERROR: a partition with a higher bound appeared
  1507, // ER_DROP_PARTITION_NON_EXISTENT: the partition to split is not there (any more)
  1517, // ER_SAME_NAME_PARTITION: a partition of that name appeared
]);

function errnoOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const { errno, driverError } = error as { errno?: unknown; driverError?: { errno?: unknown } };
  return errno ?? driverError?.errno;
}

export interface PartitionRunResult {
  created: string[];
  partitions: number;
}

/**
 * Creates the monthly partitions of `point_transaction` that are missing up to `monthsAhead`
 * months after `asOf`, by splitting the MAXVALUE partition (its rows move to the right months).
 * Idempotent; concurrent runs serialise on a named lock held by a connection of their own, and a
 * run that still collides with a change made outside the lock re-reads and plans again. Never
 * drops a partition.
 */
@Injectable()
export class PointHistoryPartitions {
  constructor(private readonly dataSource: DataSource) {}

  async ensure(asOf: Date, monthsAhead: number): Promise<PartitionRunResult> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await this.lock(runner);
      try {
        await runner.query('SET SESSION lock_wait_timeout = ?', [METADATA_LOCK_WAIT_SECONDS]);
        const created = await this.addMissing(runner, asOf, monthsAhead);
        return { created, partitions: (await this.read(runner)).length };
      } finally {
        await runner.query('SET SESSION lock_wait_timeout = DEFAULT').catch(() => undefined);
        await runner
          .query('SELECT RELEASE_LOCK(CONCAT(DATABASE(), ?))', [LOCK_SUFFIX])
          .catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }

  /** The table's partitions in order, as information_schema lists them. */
  private async read(runner: QueryRunner): Promise<ExistingPartition[]> {
    const rows = (await runner.query(
      `SELECT PARTITION_NAME AS name, PARTITION_DESCRIPTION AS description, PARTITION_METHOD AS method
         FROM information_schema.PARTITIONS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
        ORDER BY PARTITION_ORDINAL_POSITION`,
      [POINT_HISTORY_TABLE],
    )) as Array<{ name: string | null; description: string | null; method: string | null }>;
    if (rows.length === 0) throw new Error(`table ${POINT_HISTORY_TABLE} does not exist`);
    return rows.map((row) => {
      if (row.name === null || row.description === null || row.method !== 'RANGE COLUMNS') {
        throw new Error(`table ${POINT_HISTORY_TABLE} is not partitioned by RANGE COLUMNS`);
      }
      return { name: row.name, description: row.description };
    });
  }

  private async addMissing(
    runner: QueryRunner,
    asOf: Date,
    monthsAhead: number,
  ): Promise<string[]> {
    for (let attempt = 1; ; attempt += 1) {
      const plan = planMonthlyPartitions(await this.read(runner), asOf, monthsAhead);
      if (plan.add.length === 0) return [];
      try {
        await runner.query(reorganizeStatement(POINT_HISTORY_TABLE, plan));
        return plan.add.map((partition) => partition.name);
      } catch (error) {
        const errno = errnoOf(error);
        if (attempt >= 2 || typeof errno !== 'number' || !RACE_ERRNOS.has(errno)) throw error;
      }
    }
  }

  private async lock(runner: QueryRunner): Promise<void> {
    const [row] = (await runner.query('SELECT GET_LOCK(CONCAT(DATABASE(), ?), ?) AS acquired', [
      LOCK_SUFFIX,
      LOCK_WAIT_SECONDS,
    ])) as Array<{ acquired: string | number | null }>;
    if (Number(row?.acquired) !== 1) {
      throw new Error(
        `another run has been changing the partitions of ${POINT_HISTORY_TABLE} for ${LOCK_WAIT_SECONDS} s`,
      );
    }
  }
}
