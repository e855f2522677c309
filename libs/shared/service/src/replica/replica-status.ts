/** Whether the replica may serve reads, and if not, why. */
export type ReplicaState =
  { serving: true } | { serving: false; reason: 'down' | 'lagging'; detail: string };

/** A row of `SHOW SLAVE STATUS` (the columns the health check reads). */
export interface ReplicationStatusRow {
  Slave_IO_Running?: string;
  Slave_SQL_Running?: string;
  Last_IO_Error?: string;
  Last_SQL_Error?: string;
}

/**
 * Replication is running when the server replicates from a primary with both threads up. Lag is
 * not read from Seconds_Behind_Master (whole seconds, and 0 while the IO thread is behind): the
 * health check measures it against the primary's GTID position instead.
 */
export function replicationStateOf(rows: ReplicationStatusRow[]): ReplicaState {
  const row = rows[0];
  if (!row) return { serving: false, reason: 'down', detail: 'the server does not replicate' };
  if (row.Slave_IO_Running !== 'Yes' || row.Slave_SQL_Running !== 'Yes') {
    const error = [row.Last_IO_Error, row.Last_SQL_Error].filter(Boolean).join('; ');
    return {
      serving: false,
      reason: 'down',
      detail: `replication stopped (IO ${row.Slave_IO_Running ?? '?'}, SQL ${row.Slave_SQL_Running ?? '?'})${error ? `: ${error}` : ''}`,
    };
  }
  return { serving: true };
}
