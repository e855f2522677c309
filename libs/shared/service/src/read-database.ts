import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { Replica, isDatabaseError } from './replica';
import type { ReplicaState } from './replica';

/**
 * Where a query handler reads (the seed's read/write separation): history pages, lists, admin
 * search, statistics and reconciliation reads go through here. Commands, and anything read inside
 * a command's transaction, use the primary `DataSource` directly.
 *
 * With a replica configured, a read runs there once the replica holds everything committed on the
 * primary before the read began (so a member reads their own writes, whichever instance served
 * them); otherwise, and whenever the replica fails, it runs on the primary.
 */
@Injectable()
export class ReadDatabase {
  constructor(
    private readonly primary: DataSource,
    @Optional() private readonly replica?: Replica,
  ) {}

  /** Runs a query's reads on the connection chosen for reads. */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const session = await this.replica?.session();
    if (!session) return work(this.primary.manager);
    try {
      return await work(session.manager);
    } catch (error) {
      if (!isDatabaseError(error)) throw error;
      this.replica?.failed(error);
    } finally {
      await session.release().catch(() => undefined);
    }
    // Reads change nothing, so one the replica could not finish is simply run again.
    return work(this.primary.manager);
  }

  /** One read statement, as `DataSource.query`. */
  query<T>(sql: string, params: unknown[] = []): Promise<T> {
    return this.read((manager) => manager.query<T>(sql, params));
  }

  /** The replica's state, or undefined when none is configured. */
  get replicaStatus(): ReplicaState | undefined {
    return this.replica?.status;
  }

  /** Stops the replica's health check and closes its pool. */
  async close(): Promise<void> {
    await this.replica?.stop();
  }
}
