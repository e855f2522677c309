import type { DataSource } from 'typeorm';

/** The parts of mysql2's pool that count its connections (lists it keeps, not in its types). */
interface Mysql2Pool {
  _allConnections: { length: number };
  _freeConnections: { length: number };
}

/**
 * The connections of the DataSource's mysql2 pool now: lent out to a query or transaction, or
 * idle in the pool. Cheap enough for every scrape; none when the pool is closed.
 */
export function poolConnectionsOf(dataSource: DataSource): { inUse: number; idle: number } {
  const pool = (dataSource.driver as unknown as { pool?: Mysql2Pool }).pool;
  if (!pool) return { inUse: 0, idle: 0 };
  const all = pool._allConnections.length;
  const idle = pool._freeConnections.length;
  return { inUse: all - idle, idle };
}
