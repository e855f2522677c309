import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { AdminJobFailure } from './admin-job';
import type { AdminJobContext, AdminJobProgressReport } from './admin-job';
import type { AdminJobRegistry } from './admin-job-registry';
import { ADMIN_JOB_MAX_ATTEMPTS } from './admin-jobs';
import { rowOf, viewOf } from './admin-jobs';

export interface AdminJobRunnerOptions {
  /** Jobs this replica runs at once; more wait queued. */
  concurrency: number;
  /**
   * A running job's claim, renewed while it runs. A replica that dies stops renewing it, and
   * once it runs out another replica (or this one, restarted) resumes the job.
   */
  leaseMs: number;
}

/** Stops a row update when this runner no longer holds the job (another replica took it over). */
const HELD = 'id = ? AND lease_owner = ?';

/**
 * Runs the queued admin jobs of its service in the background, a few at a time, on whichever
 * replica claims each first. It polls for jobs queued elsewhere or abandoned (a lease run out),
 * so jobs survive a restart. On shutdown it asks its jobs to stop between two steps and queues
 * them again for the next replica.
 */
export class AdminJobRunner {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: AdminJobRegistry,
    /** The prefix of its job ids (`event` of `event.42`). */
    private readonly service: string,
    private readonly logger: Logger,
    private readonly options: AdminJobRunnerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.wake(), this.pollMs);
    this.timer.unref();
    void this.wake(); // resumes what a previous run of this service left
  }

  /** Looks for work now (a job was just queued, or a slot was freed); resolves once it looked. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = this.poll()
      .catch((error: unknown) => this.logger.error({ err: error }, 'admin jobs: poll failed'))
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain) {
          this.pollAgain = false;
          void this.wake();
        }
      });
    return this.polling;
  }

  /** Takes no more jobs, stops the running ones between two steps and queues them again. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
    for (const { abort } of this.running.values()) abort.abort(new Error('service shutting down'));
    await Promise.all([...this.running.values()].map(({ done }) => done));
  }

  private get pollMs(): number {
    return Math.max(50, Math.floor(this.options.leaseMs / 3));
  }

  private async poll(): Promise<void> {
    const free = this.options.concurrency - this.running.size;
    if (free <= 0) return;
    const candidates = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM admin_job
        WHERE status = 'queued' OR (status = 'running' AND lease_until < CURRENT_TIMESTAMP(3))
        ORDER BY id LIMIT ?`,
      [free],
    );
    for (const { id } of candidates) {
      if (this.stopped || this.running.size >= this.options.concurrency) return;
      if (this.running.has(id) || !(await this.claim(id))) continue;
      const abort = new AbortController();
      const done = this.execute(id, abort)
        // Its state could not be written (the database went away): the lease runs out and the
        // job is taken over.
        .catch((error: unknown) =>
          this.logger.error({ err: error, adminJob: id }, 'admin job lost'),
        )
        .finally(() => {
          this.running.delete(id);
          void this.wake();
        });
      this.running.set(id, { abort, done });
    }
  }

  private async claim(id: string): Promise<boolean> {
    const claimed = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE admin_job
          SET status = 'running', lease_owner = ?, attempts = attempts + 1,
              lease_until = CURRENT_TIMESTAMP(3) + INTERVAL ? MICROSECOND,
              started_at = COALESCE(started_at, CURRENT_TIMESTAMP(3))
        WHERE id = ?
          AND (status = 'queued' OR (status = 'running' AND lease_until < CURRENT_TIMESTAMP(3)))`,
      [this.owner, this.options.leaseMs * 1000, id],
    );
    return claimed.affectedRows === 1;
  }

  private async execute(id: string, abort: AbortController): Promise<void> {
    const row = await rowOf(this.dataSource, id);
    const view = viewOf(this.service, row);
    const handler = this.registry.get(row.kind);
    const log = this.logger.child({ adminJob: id, kind: row.kind });
    if (!handler) {
      await this.finish(id, {
        error: { code: ErrorCode.Internal, message: `No runner for ${row.kind}` },
      });
      return;
    }
    if (Number(row.attempts) > ADMIN_JOB_MAX_ATTEMPTS) {
      const message = `Abandoned after ${ADMIN_JOB_MAX_ATTEMPTS} starts that never finished`;
      await this.finish(id, { error: { code: ErrorCode.Internal, message } });
      log.error(message);
      return;
    }
    const heartbeat = setInterval(() => void this.renew(id, abort), this.pollMs);
    heartbeat.unref();
    const context: AdminJobContext = {
      jobId: view.id,
      progress: view.progress,
      signal: abort.signal,
      report: (progress, manager) => this.report(id, progress, manager),
    };
    log.info('admin job started');
    try {
      const result = await handler.run(JSON.parse(row.params) as Record<string, unknown>, context);
      await this.finish(id, { result });
      log.info({ result }, 'admin job succeeded');
    } catch (error) {
      if (abort.signal.aborted) {
        // Stopped between two steps: queued again for this replica's successor (not an attempt).
        await this.dataSource.query(
          `UPDATE admin_job SET status = 'queued', lease_owner = NULL, lease_until = NULL,
                  attempts = attempts - 1 WHERE ${HELD}`,
          [id, this.owner],
        );
        log.info('admin job interrupted: queued again');
        return;
      }
      await this.finish(id, { error: errorOf(error) });
      log.error({ err: error }, 'admin job failed');
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async report(
    id: string,
    progress: AdminJobProgressReport,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource).query(
      `UPDATE admin_job SET progress_done = ?, progress_total = ?,
              lease_until = CURRENT_TIMESTAMP(3) + INTERVAL ? MICROSECOND WHERE ${HELD}`,
      [progress.done, progress.total, this.options.leaseMs * 1000, id, this.owner],
    );
  }

  /** Renews the lease; a job taken over by another replica is stopped here. */
  private async renew(id: string, abort: AbortController): Promise<void> {
    try {
      const renewed = await this.dataSource.query<{ affectedRows: number }>(
        `UPDATE admin_job SET lease_until = CURRENT_TIMESTAMP(3) + INTERVAL ? MICROSECOND
          WHERE ${HELD} AND status = 'running'`,
        [this.options.leaseMs * 1000, id, this.owner],
      );
      if (renewed.affectedRows === 0) abort.abort(new Error('taken over by another replica'));
    } catch (error) {
      this.logger.warn({ err: error, adminJob: id }, 'admin job lease not renewed');
    }
  }

  private async finish(
    id: string,
    outcome: { result: Record<string, unknown> } | { error: { code: string; message: string } },
  ): Promise<void> {
    const failed = 'error' in outcome;
    await this.dataSource.query(
      `UPDATE admin_job
          SET status = ?, result = ?, error_code = ?, error_message = ?, active_key = NULL,
              lease_owner = NULL, lease_until = NULL, finished_at = CURRENT_TIMESTAMP(3)
        WHERE ${HELD}`,
      [
        failed ? 'failed' : 'succeeded',
        failed ? null : JSON.stringify(outcome.result),
        failed ? outcome.error.code : null,
        failed ? outcome.error.message.slice(0, 1000) : null,
        id,
        this.owner,
      ],
    );
  }
}

/** What an admin may see of a failure: an AppException's code and message, never internals. */
function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof AppException || error instanceof AdminJobFailure) {
    return { code: error.code, message: error.message };
  }
  return {
    code: ErrorCode.Internal,
    message: 'An internal error stopped the job; see the service log',
  };
}
