/**
 * Which monthly partitions `point_transaction` (RANGE COLUMNS on `created_at`) still needs: pure
 * calendar arithmetic over the partitions that exist, so it is tested without a database.
 *
 * Months are UTC months: `created_at` is stored in UTC (the data source's `timezone: 'Z'`).
 */

/** One partition as `information_schema.PARTITIONS` describes it. */
export interface ExistingPartition {
  name: string;
  /** `PARTITION_DESCRIPTION`: a quoted bound such as `'2026-01-01'`, or `MAXVALUE`. */
  description: string;
}

/** A partition to create: `pYYYYMM VALUES LESS THAN ('YYYY-MM+1-01')`. */
export interface PlannedPartition {
  name: string;
  lessThan: string;
}

export interface PartitionPlan {
  /** The MAXVALUE partition the new ones are split from (and which stays last). */
  catchAll: string;
  /** In ascending order; empty when every month up to asOf + monthsAhead is there already. */
  add: PlannedPartition[];
}

const BOUND = /^'(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?'$/;

/** A month as a single number (year × 12 + zero-based month), so adding months is adding. */
type MonthIndex = number;

const monthIndex = (year: number, month1: number): MonthIndex => year * 12 + (month1 - 1);

function monthParts(index: MonthIndex): { year: number; month: string } {
  return { year: Math.floor(index / 12), month: String((index % 12) + 1).padStart(2, '0') };
}

export function partitionNameOf(index: MonthIndex): string {
  const { year, month } = monthParts(index);
  return `p${year}${month}`;
}

function firstDayOf(index: MonthIndex): string {
  const { year, month } = monthParts(index);
  return `${year}-${month}-01`;
}

/** The bound of a partition, or `undefined` for MAXVALUE. */
export function parseBound(description: string): { ms: number; month: MonthIndex } | undefined {
  const text = description.trim();
  if (text.toUpperCase() === 'MAXVALUE') return undefined;
  const match = BOUND.exec(text);
  if (!match) throw new Error(`unexpected partition bound ${description}`);
  const [year, month, day, hours, minutes, seconds] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const fraction = Number(`0.${match[7] ?? '0'}`);
  return {
    ms: Date.UTC(year, month - 1, day, hours, minutes, seconds) + fraction * 1000,
    month: monthIndex(year, month),
  };
}

/**
 * The monthly partitions to add so that every month from where the highest bounded partition ends
 * through the month of `asOf` plus `monthsAhead` has its own partition. The first new partition
 * starts at the previous highest bound, so no month is skipped: months between that bound and
 * `asOf` whose rows sit in the MAXVALUE partition get their partitions too (REORGANIZE moves the
 * rows). Never removes or changes an existing partition.
 */
export function planMonthlyPartitions(
  existing: readonly ExistingPartition[],
  asOf: Date,
  monthsAhead: number,
): PartitionPlan {
  if (!Number.isInteger(monthsAhead) || monthsAhead < 0) {
    throw new Error(`monthsAhead must be a whole number ≥ 0, not ${monthsAhead}`);
  }
  if (Number.isNaN(asOf.getTime())) throw new Error('asOf is not a valid time');

  const catchAlls = existing.filter((partition) => parseBound(partition.description) === undefined);
  const [catchAll] = catchAlls;
  if (!catchAll || catchAlls.length > 1) {
    throw new Error(
      `expected one MAXVALUE partition to split, found ${catchAlls.length} (${existing.map((p) => p.name).join(', ') || 'none'})`,
    );
  }

  let highest: { ms: number; month: MonthIndex } | undefined;
  for (const partition of existing) {
    const bound = parseBound(partition.description);
    if (bound && (!highest || bound.ms > highest.ms)) highest = bound;
  }

  const asOfMonth = monthIndex(asOf.getUTCFullYear(), asOf.getUTCMonth() + 1);
  // The month holding the highest bound: its partition starts at that bound and ends on the 1st
  // of the next month, which is always above it. Without any bounded partition: asOf's month.
  const first = highest?.month ?? asOfMonth;
  const last = asOfMonth + monthsAhead;

  const names = new Set(existing.map((partition) => partition.name));
  const add: PlannedPartition[] = [];
  for (let month = first; month <= last; month += 1) {
    const name = partitionNameOf(month);
    if (names.has(name)) {
      throw new Error(
        `partition ${name} exists but does not end on ${firstDayOf(month + 1)}: the table's partitions need a look by hand`,
      );
    }
    add.push({ name, lessThan: firstDayOf(month + 1) });
  }
  return { catchAll: catchAll.name, add };
}

/** `ALTER TABLE … REORGANIZE PARTITION <catch-all> INTO (…new months…, <catch-all> MAXVALUE)`. */
export function reorganizeStatement(table: string, plan: PartitionPlan): string {
  const safe = /^[A-Za-z0-9_]+$/;
  for (const name of [table, plan.catchAll, ...plan.add.map((partition) => partition.name)]) {
    if (!safe.test(name)) throw new Error(`unexpected identifier ${name}`);
  }
  const months = plan.add.map(
    (partition) => `PARTITION ${partition.name} VALUES LESS THAN ('${partition.lessThan}')`,
  );
  return (
    `ALTER TABLE ${table} REORGANIZE PARTITION ${plan.catchAll} INTO (` +
    [...months, `PARTITION ${plan.catchAll} VALUES LESS THAN (MAXVALUE)`].join(', ') +
    ')'
  );
}
