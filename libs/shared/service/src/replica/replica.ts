import { DataSource, QueryFailedError } from 'typeorm';
import type { QueryRunner } from 'typeorm';
import type { Logger } from 'pino';
import {
  isConnectionError,
  poolConnectionsOf,
  serviceDataSourceOptions,
} from '@member-system/shared/database';
import type { MysqlSettings, ServiceDataSourceSpec } from '@member-system/shared/database';
import type { ReplicaMetrics } from './replica-metrics';
import { replicationStateOf } from './replica-status';
import type { ReplicaState, ReplicationStatusRow } from './replica-status';
import type { DbPoolConnections } from '@member-system/shared/observability';

export interface ReplicaOptions {
  /** The most a read may lag the primary; also how long a read waits for the replica. */
  maxLagMs: number;
  /** How often the health check runs. */
  checkEveryMs?: number;
}

/** A failed statement or connection, as opposed to an error of the caller's own. */
export function isDatabaseError(error: unknown): boolean {
  if (error instanceof QueryFailedError || isConnectionError(error)) return true;
  return typeof (error as { errno?: unknown } | null)?.errno === 'number';
}

/**
 * A MariaDB replica of the service's primary, for reads. A session handed out holds everything
 * committed on the primary before it was asked for: the primary's GTID position is read first,
 * and the replica waits for it (MASTER_GTID_WAIT) for at most the lag bound. A health check every
 * second takes the replica out of service while it is unreachable, not replicating or lagging past
 * the bound, so reads skip it at once instead of each waiting for the bound.
 */
export class Replica {
  private dataSource: DataSource | undefined;
  private state: ReplicaState = { serving: false, reason: 'down', detail: 'not checked yet' };
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Until the first check, any state it finds is news worth a log line. */
  private checked = false;

  constructor(
    private readonly primary: DataSource,
    private readonly settings: MysqlSettings,
    private readonly spec: ServiceDataSourceSpec,
    private readonly options: ReplicaOptions,
    private readonly logger: Logger,
    private readonly metrics: ReplicaMetrics,
  ) {
    metrics.servingChanged(false);
  }

  get serving(): boolean {
    return this.state.serving;
  }

  /** What the last health check found: serving, or why reads go to the primary. */
  get status(): ReplicaState {
    return this.state;
  }

  /** The replica pool's connections (none until it is first opened). */
  connections(): DbPoolConnections {
    return this.dataSource ? poolConnectionsOf(this.dataSource) : { inUse: 0, idle: 0 };
  }

  /** Checks the replica once (so the first reads already know), then every second. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.check();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const dataSource = this.dataSource;
    this.dataSource = undefined;
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
  }

  /**
   * A session on the replica that has caught up with the primary as of this call, or undefined
   * when this read must go to the primary (counted with its reason). The caller releases it.
   */
  async session(): Promise<QueryRunner | undefined> {
    if (!this.state.serving) {
      this.metrics.fellBack(this.state.reason);
      return undefined;
    }
    const dataSource = this.dataSource;
    if (!dataSource) throw new Error('a replica in service has its pool open');
    const position = await this.primaryPosition();
    const runner = dataSource.createQueryRunner();
    try {
      if (await this.caughtUp(runner, position)) return runner;
      this.metrics.fellBack('timeout');
    } catch (error) {
      this.failed(error);
    }
    await release(runner);
    return undefined;
  }

  /** A read on a session failed for a database reason: out of service until the next check. */
  failed(error: unknown): void {
    this.metrics.fellBack('error');
    this.moveTo({ serving: false, reason: 'down', detail: messageOf(error) });
  }

  /** One health check: reachable, replicating, and within the lag bound of the primary now. */
  async check(): Promise<void> {
    let position: string;
    try {
      position = await this.primaryPosition();
    } catch {
      return; // Without the primary there is nothing to compare with; reads fail there anyway.
    }
    let runner: QueryRunner | undefined;
    try {
      const dataSource = await this.open();
      runner = dataSource.createQueryRunner();
      const replication = replicationStateOf(
        (await runner.query('SHOW SLAVE STATUS')) as ReplicationStatusRow[],
      );
      if (!replication.serving) return this.moveTo(replication);
      if (await this.caughtUp(runner, position)) return this.moveTo({ serving: true });
      this.moveTo({
        serving: false,
        reason: 'lagging',
        detail: `more than ${this.options.maxLagMs} ms behind the primary`,
      });
    } catch (error) {
      this.moveTo({ serving: false, reason: 'down', detail: messageOf(error) });
    } finally {
      if (runner) await release(runner);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.check().finally(() => this.schedule());
    }, this.options.checkEveryMs ?? 1000);
    this.timer.unref();
  }

  /** The replica's pool, opened on first use: a replica down at boot does not hold the service. */
  private async open(): Promise<DataSource> {
    if (this.dataSource) return this.dataSource;
    const dataSource = new DataSource({
      ...serviceDataSourceOptions(this.settings, { ...this.spec, migrations: [] }),
      // A replica that does not answer must not hold a read longer than the primary would.
      extra: { connectTimeout: 2000, enableKeepAlive: true },
    });
    try {
      await dataSource.initialize();
    } catch (error) {
      await dataSource.destroy().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await dataSource.destroy();
      throw new Error('the replica is closed');
    }
    this.dataSource = dataSource;
    return dataSource;
  }

  /** Every transaction committed on the primary so far, as a GTID position (one per domain). */
  private async primaryPosition(): Promise<string> {
    const rows = await this.primary.query<Array<{ position: string | null }>>(
      'SELECT @@gtid_binlog_pos AS position',
    );
    return rows[0]?.position ?? '';
  }

  /** Waits at most the lag bound for the replica to have applied `position`. */
  private async caughtUp(runner: QueryRunner, position: string): Promise<boolean> {
    const rows = (await runner.query('SELECT MASTER_GTID_WAIT(?, ?) AS reached', [
      position,
      this.options.maxLagMs / 1000,
    ])) as Array<{ reached: number | string | null }>;
    const reached = rows[0]?.reached;
    return reached !== null && reached !== undefined && Number(reached) === 0;
  }

  private moveTo(next: ReplicaState): void {
    const previous = this.state;
    this.state = next;
    if (this.checked && sameState(previous, next)) return;
    this.checked = true;
    this.metrics.servingChanged(next.serving);
    if (next.serving) {
      this.logger.warn({ replica: this.address() }, 'MySQL replica serving reads');
    } else {
      this.logger.warn(
        { replica: this.address(), reason: next.reason, detail: next.detail },
        'MySQL replica out of service: reads go to the primary',
      );
    }
  }

  private address(): string {
    return `${this.settings.host}:${this.settings.port}`;
  }
}

function sameState(a: ReplicaState, b: ReplicaState): boolean {
  if (a.serving || b.serving) return a.serving === b.serving;
  return a.reason === b.reason;
}

async function release(runner: QueryRunner): Promise<void> {
  await runner.release().catch(() => undefined);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
