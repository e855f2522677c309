import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { businessMinuteOfDay, businessDateOf, formatBusinessDate } from './business-time';
import type { Job, JobRunResult } from './job';
import type { JobMetrics } from './job-metrics';
import type { JobRegistry } from './job-registry';

export interface JobSchedulerOptions {
  timeZone: string;
  tickMs: number;
  /** A failed or abandoned run of a period is taken over after this long. */
  retryAfterMs: number;
}

/**
 * Runs each registered job when it is due. Every replica ticks; the one whose insert of the
 * period's `job_run` row wins runs the job, so each period runs once across the fleet. A run that
 * failed, or whose replica died, is taken over after `retryAfterMs`. Jobs must be idempotent: a
 * taken-over run repeats what the abandoned one had done. Each run is counted and timed by the
 * replica that ran it (JobMetrics); the last success is read from `job_run` at start, so that a
 * restarted replica reports it rather than nothing.
 */
export class JobScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: JobSchedulerOptions,
    private readonly metrics: JobMetrics,
  ) {}

  async start(): Promise<void> {
    const jobs = this.registry.all();
    this.metrics.schedules(jobs);
    await this.loadLastSuccesses(jobs);
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .then(() => undefined)
        .finally(() => (this.ticking = undefined));
    }, this.options.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** Runs every job due at `now` that no replica has run for its period yet. */
  async tick(now: Date = this.clock.now()): Promise<JobRunResult[]> {
    const results: JobRunResult[] = [];
    for (const job of this.registry.all()) {
      const period = this.duePeriod(job, now);
      if (period === undefined) continue;
      try {
        const runId = await this.claim(job.name, period, now);
        if (runId !== undefined) results.push(await this.execute(job, runId, now));
      } catch (error) {
        this.logger.error({ err: error, job: job.name }, 'job could not be started');
      }
    }
    return results;
  }

  /** An admin's run: now, or as of the time given. Recorded, never tied to a period. */
  async runNow(job: Job, asOf: Date): Promise<JobRunResult> {
    const inserted = await this.dataSource.query<{ insertId: number }>(
      'INSERT INTO job_run (job, period_key, as_of) VALUES (?, NULL, ?)',
      [job.name, asOf],
    );
    return this.execute(job, inserted.insertId, asOf);
  }

  /**
   * Publishes each job's last success as `job_run` records it (whichever replica ran it). A failed
   * read is logged and skipped: the replica schedules its jobs all the same.
   */
  async loadLastSuccesses(jobs: Job[] = this.registry.all()): Promise<void> {
    try {
      for (const job of jobs) {
        // The newest runs first (ix_job_run_started): stops at the first success of the job.
        const [row] = await this.dataSource.query<Array<{ finished_at: Date }>>(
          `SELECT finished_at FROM job_run
            WHERE job = ? AND outcome = 'succeeded'
            ORDER BY started_at DESC LIMIT 1`,
          [job.name],
        );
        if (row) this.metrics.succeededAt(job.name, row.finished_at);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'the last successful job runs could not be read');
    }
  }

  private duePeriod(job: Job, now: Date): string | undefined {
    if ('everyMs' in job.schedule)
      return `every:${Math.floor(now.getTime() / job.schedule.everyMs)}`;
    const [hours = 0, minutes = 0] = job.schedule.dailyAt.split(':').map(Number);
    if (businessMinuteOfDay(now, this.options.timeZone) < hours * 60 + minutes) return undefined;
    return formatBusinessDate(businessDateOf(now, this.options.timeZone));
  }

  private async claim(name: string, period: string, now: Date): Promise<number | undefined> {
    const inserted = await this.dataSource.query<{ affectedRows: number; insertId: number }>(
      'INSERT IGNORE INTO job_run (job, period_key, as_of) VALUES (?, ?, ?)',
      [name, period, now],
    );
    if (inserted.affectedRows === 1) return inserted.insertId;
    // Staleness is measured on the database's clock: `now` may be an admin's or a test's business time.
    const retryAfterSeconds = this.options.retryAfterMs / 1000;
    const taken = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE job_run SET outcome = 'running', started_at = CURRENT_TIMESTAMP(3), finished_at = NULL, as_of = ?
        WHERE job = ? AND period_key = ?
          AND ((outcome = 'failed' AND finished_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND)
            OR (outcome = 'running' AND started_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND))`,
      [now, name, period, retryAfterSeconds, retryAfterSeconds],
    );
    if (taken.affectedRows !== 1) return undefined;
    const [row] = await this.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM job_run WHERE job = ? AND period_key = ?',
      [name, period],
    );
    return row ? Number(row.id) : undefined;
  }

  private async execute(job: Job, runId: number, asOf: Date): Promise<JobRunResult> {
    const started = Date.now();
    let outcome: JobRunResult['outcome'] = 'succeeded';
    let result: Record<string, unknown>;
    try {
      result = await job.run(asOf);
    } catch (error) {
      outcome = 'failed';
      result = { error: error instanceof Error ? error.message : String(error) };
      this.logger.error({ err: error, job: job.name }, 'job failed');
    }
    await this.dataSource.query(
      'UPDATE job_run SET outcome = ?, finished_at = CURRENT_TIMESTAMP(3), result = ? WHERE id = ?',
      [outcome, JSON.stringify(result), runId],
    );
    const ended = Date.now();
    this.metrics.ran(job.name, outcome, (ended - started) / 1000, new Date(ended));
    this.logger.info({ job: job.name, outcome, ms: ended - started, result }, 'job run');
    return { job: job.name, asOf: asOf.toISOString(), outcome, result };
  }
}
