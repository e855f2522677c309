import type { DataSource, EntityManager } from 'typeorm';
import { withTransaction } from '@member-system/shared/database';
import type { TransactionOptions } from '@member-system/shared/database';

/** Schedules work for once the transaction has committed; never for an attempt rolled back. */
export type AfterCommit = (work: () => Promise<void> | void) => void;

/** A transaction as member-service writes in it: its manager, and what follows its commit. */
export interface UnitOfWork {
  manager: EntityManager;
  afterCommit: AfterCommit;
}

/**
 * `withTransaction` for a command that owns its transaction, with the same `afterCommit` an event
 * consumer gives its handlers: the work scheduled by the attempt that committed runs after it, in
 * order, before this resolves.
 */
export async function inUnitOfWork<T>(
  dataSource: DataSource,
  work: (unit: UnitOfWork) => Promise<T>,
  options?: TransactionOptions,
): Promise<T> {
  let scheduled: Array<() => Promise<void> | void> = [];
  const result = await withTransaction(
    dataSource,
    (manager) => {
      // A deadlock retry runs the work again from the start: only its own attempt's work counts.
      scheduled = [];
      return work({ manager, afterCommit: (next) => scheduled.push(next) });
    },
    options,
  );
  for (const next of scheduled) await next();
  return result;
}
