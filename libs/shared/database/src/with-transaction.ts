import type { DataSource, EntityManager } from 'typeorm';
import { SESSION_ISOLATION } from './data-source-options';
import { isRetryableTransactionError } from './mysql-errors';

export type IsolationLevel =
  'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface TransactionOptions {
  isolation?: IsolationLevel;
  /** Extra attempts after a deadlock or lock-wait timeout; the whole unit of work runs again. */
  retries?: number;
}

/**
 * Runs `work` in one transaction (READ COMMITTED by default). On a deadlock (1213) or lock-wait
 * timeout (1205) MySQL has rolled the transaction back, so the whole unit is run again from the
 * start, with a short jittered pause. `work` must therefore do nothing outside the database that
 * cannot be repeated.
 */
export async function withTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const isolation = options.isolation ?? 'READ COMMITTED';
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt += 1) {
    try {
      // Sessions start at SESSION_ISOLATION (see pinnedSessionMysql2): no statement to set it.
      return await (isolation === SESSION_ISOLATION
        ? dataSource.transaction(work)
        : dataSource.transaction(isolation, work));
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 10));
    }
  }
}
