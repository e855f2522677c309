import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import type { Logger } from 'pino';
import { queryTogether, rowsOf, statement } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { UNROUTED_QUEUE } from '@member-system/contracts';
import type { AppMetrics } from '@member-system/shared/observability';
import type { ConfirmPublisher } from './confirm-publisher';
import { OUTBOX_WRITTEN } from './outbox-writer';

export interface OutboxRelayOptions {
  /** Name of the MySQL lock that makes one replica of the service the relay leader. */
  lockName: string;
  pollMs: number;
  batchSize: number;
  maxBackoffMs?: number;
}

interface OutboxRow {
  id: string;
  event_id: string;
  event_type: string;
  exchange: string;
  envelope: string;
}

const LEADERSHIP_RECHECK_MS = 1000;

/**
 * Publishes outbox rows in id order. One replica holds `GET_LOCK` and publishes; the others wait
 * their turn. A row is marked published only after the broker confirmed it, so a crash or a broker
 * outage can repeat an event (consumers dedupe by event id) but never lose one.
 *
 * It polls every `pollMs`, and also starts a round as soon as a transaction of this process that
 * wrote outbox rows commits, so an event doesn't wait for the next poll (rows other replicas
 * write still wait for it, when this one leads).
 *
 * When another round follows at once (a busy relay runs one per commit), the rows a round
 * published are marked by that next round, in the same query as its read of the next rows: one
 * round trip a round instead of two. Marks are never held over a pause.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private lockRunner: QueryRunner | undefined;
  private wakeUp: (() => void) | undefined;
  /** A commit asked for a round while one was running: run again without pausing. */
  private roundRequested = false;
  private lastGaugeAt = 0;
  /** When this replica last confirmed it holds the lock (0: not leading). */
  private leaderSince = 0;
  /** Rows the broker confirmed that are not marked published yet (see `markPublished`). */
  private unmarked: string[] = [];
  /** The pool takes several statements in one query: a mark can travel with the next read. */
  private readonly marksWithRead: boolean;
  private readonly commitListener: EntitySubscriberInterface = {
    afterTransactionCommit: ({ queryRunner }) => {
      if (queryRunner.data?.[OUTBOX_WRITTEN] !== true) return;
      queryRunner.data = { ...queryRunner.data, [OUTBOX_WRITTEN]: false };
      this.roundRequested = true;
      this.wakeUp?.();
    },
  };

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: ConfirmPublisher,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
    private readonly metrics?: AppMetrics,
  ) {
    this.marksWithRead =
      (dataSource.options as { multipleStatements?: boolean }).multipleStatements === true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.dataSource.subscribers.push(this.commitListener);
    this.metrics?.watchUnroutedQueue(UNROUTED_QUEUE, () => this.publisher.unroutedMessages());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.metrics?.unwatchUnroutedQueue(UNROUTED_QUEUE);
    const listener = this.dataSource.subscribers.indexOf(this.commitListener);
    if (listener >= 0) this.dataSource.subscribers.splice(listener, 1);
    this.wakeUp?.(); // end the current pause now rather than after it
    await this.loop;
    await this.markPublished().catch((error: unknown) => {
      // Those events go out again after a restart; consumers dedupe them by event id.
      this.logger.warn({ err: error }, 'outbox relay could not mark its last published rows');
    });
    await this.releaseLeadership();
  }

  /**
   * One round: if this replica leads, publish up to one batch and mark it published. Returns how
   * many were confirmed.
   */
  async runOnce(): Promise<number> {
    const published = await this.round();
    await this.markPublished();
    return published;
  }

  /** Like runOnce, but the rows it published may be left for the next round to mark. */
  private async round(): Promise<number> {
    if (!(await this.holdLeadership())) {
      await this.markPublished(); // what it published while it led
      return 0;
    }
    const published = await this.publishBatch();
    await this.updateGauges(published > 0 ? 1000 : 5000);
    return published;
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        this.roundRequested = false;
        const published = await this.round();
        backoff = 0;
        if (published === this.options.batchSize || this.roundRequested) continue;
        await this.markPublished();
      } catch (error) {
        this.metrics?.outboxFailures.inc();
        backoff = Math.min(
          Math.max(backoff * 2, this.options.pollMs),
          this.options.maxBackoffMs ?? 30_000,
        );
        this.logger.warn({ err: error, retryInMs: backoff }, 'outbox relay round failed');
        await this.releaseLeadership();
      }
      if (this.roundRequested && backoff === 0) continue;
      await this.pause(backoff || this.options.pollMs);
    }
  }

  private async publishBatch(): Promise<number> {
    const rows = await this.nextRows();
    if (rows.length === 0) return 0;
    // Published on one channel in id order; the broker confirms each independently.
    const results = await Promise.allSettled(
      rows.map((row) =>
        this.publisher.publish({
          exchange: row.exchange,
          routingKey: row.event_type,
          body: row.envelope,
          messageId: row.event_id,
          type: row.event_type,
          correlationId: correlationIdOf(row.envelope),
        }),
      ),
    );
    const confirmed = rows
      .filter((_, index) => results[index]?.status === 'fulfilled')
      .map((row) => row.id);
    const failed = rows.filter((_, index) => results[index]?.status === 'rejected');
    this.unmarked.push(...confirmed);
    this.metrics?.outboxPublished.inc(confirmed.length);
    if (failed.length > 0) {
      await this.markPublished();
      const reason = results.find(
        (result) => result.status === 'rejected',
      ) as PromiseRejectedResult;
      const message = String(
        reason.reason instanceof Error ? reason.reason.message : reason.reason,
      ).slice(0, 500);
      await this.dataSource.query(
        `UPDATE outbox_message SET attempts = attempts + 1, last_error = ?
          WHERE id IN (${failed.map(() => '?').join(',')})`,
        [message, ...failed.map((row) => row.id)],
      );
      throw new Error(`${failed.length} of ${rows.length} events not confirmed: ${message}`);
    }
    return confirmed.length;
  }

  /** The next rows to publish; the marks still owed go first, in the same query if the pool allows. */
  private async nextRows(): Promise<OutboxRow[]> {
    const read = nextRowsStatement(this.options.batchSize);
    if (this.unmarked.length === 0 || !this.marksWithRead) {
      await this.markPublished();
      return this.dataSource.query(read.sql, [...read.params]);
    }
    const [, rows] = await queryTogether(this.dataSource.manager, [
      markStatement(this.unmarked),
      read,
    ]);
    this.unmarked = [];
    return rowsOf<OutboxRow>(rows);
  }

  /** Marks the rows the broker confirmed as published. */
  private async markPublished(): Promise<void> {
    if (this.unmarked.length === 0) return;
    const mark = markStatement(this.unmarked);
    await this.dataSource.query(mark.sql, [...mark.params]);
    this.unmarked = [];
  }

  /**
   * While leading, the lock is checked again at most once a second rather than every round: a busy
   * relay runs a round per commit. Should the lock's connection drop unnoticed in between, another
   * replica may publish the same rows for that second; consumers dedupe by event id.
   */
  private async holdLeadership(): Promise<boolean> {
    if (this.lockRunner && Date.now() - this.leaderSince < LEADERSHIP_RECHECK_MS) return true;
    const leader = await this.checkLeadership();
    this.leaderSince = leader ? Date.now() : 0;
    return leader;
  }

  private async checkLeadership(): Promise<boolean> {
    if (!this.lockRunner) {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      this.lockRunner = runner;
    }
    // GET_LOCK is per connection: this runner's connection holds it for as long as it lives.
    const [row] = (await this.lockRunner.query(
      'SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine, IS_FREE_LOCK(?) AS free',
      [this.options.lockName, this.options.lockName],
    )) as Array<{ mine: string | number | null; free: string | number | null }>;
    if (Number(row?.mine) === 1) return true;
    if (Number(row?.free) !== 1) return false;
    const [acquired] = (await this.lockRunner.query('SELECT GET_LOCK(?, 0) AS acquired', [
      this.options.lockName,
    ])) as Array<{ acquired: string | number | null }>;
    const leader = Number(acquired?.acquired) === 1;
    if (leader) this.logger.info({ lock: this.options.lockName }, 'outbox relay is the leader');
    return leader;
  }

  private async releaseLeadership(): Promise<void> {
    const runner = this.lockRunner;
    this.lockRunner = undefined;
    this.leaderSince = 0;
    if (!runner) return;
    try {
      await runner.query('SELECT RELEASE_LOCK(?)', [this.options.lockName]);
    } catch {
      // The connection is gone, and the lock went with it.
    }
    await runner.release().catch(() => undefined);
  }

  /**
   * The backlog gauges, at most once per `intervalMs`: a busy relay runs a round per commit, and
   * counting the backlog every time would be one more query each.
   */
  private async updateGauges(intervalMs: number): Promise<void> {
    if (!this.metrics || Date.now() - this.lastGaugeAt < intervalMs) return;
    this.lastGaugeAt = Date.now();
    // Rows the broker confirmed are published, marked or not yet.
    const confirmed = this.unmarked.length > 0 ? this.unmarked.map(() => '?').join(',') : '';
    const [row] = await this.dataSource.query<
      Array<{ pending: string | number; age_us: string | number | null }>
    >(
      `SELECT COUNT(*) AS pending, TIMESTAMPDIFF(MICROSECOND, MIN(created_at), CURRENT_TIMESTAMP(3)) AS age_us
         FROM outbox_message WHERE published_at IS NULL${confirmed ? ` AND id NOT IN (${confirmed})` : ''}`,
      [...this.unmarked],
    );
    this.metrics.outboxUnpublished.set(Number(row?.pending ?? 0));
    this.metrics.outboxOldestAge.set(row?.age_us == null ? 0 : Number(row.age_us) / 1e6);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

function nextRowsStatement(batchSize: number): Statement {
  return statement(
    `SELECT id, event_id, event_type, exchange, envelope FROM outbox_message
        WHERE published_at IS NULL ORDER BY id LIMIT ?`,
    [batchSize],
  );
}

function markStatement(ids: readonly string[]): Statement {
  return statement(
    `UPDATE outbox_message SET published_at = CURRENT_TIMESTAMP(3), attempts = attempts + 1
          WHERE id IN (${ids.map(() => '?').join(',')})`,
    [...ids],
  );
}

function correlationIdOf(envelope: string): string {
  try {
    const parsed = JSON.parse(envelope) as { correlationId?: unknown };
    return typeof parsed.correlationId === 'string' ? parsed.correlationId : '';
  } catch {
    return '';
  }
}
