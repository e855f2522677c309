import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';

/**
 * Where a query handler reads (the seed's read/write separation): history pages, lists, admin
 * search, statistics and reconciliation reads go through here. Commands, and anything read inside
 * a command's transaction, use the primary `DataSource` directly.
 */
@Injectable()
export class ReadDatabase {
  constructor(private readonly primary: DataSource) {}

  /** Runs a query's reads on the connection chosen for reads. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return work(this.primary.manager);
  }

  /** One read statement, as `DataSource.query`. */
  query<T>(sql: string, params: unknown[] = []): Promise<T> {
    return this.read((manager) => manager.query<T>(sql, params));
  }
}
