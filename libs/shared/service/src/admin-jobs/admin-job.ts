import type { EntityManager } from 'typeorm';
import type { AdminJobKind, AdminPermission } from '@member-system/contracts';

export interface AdminJobProgressReport {
  done: number;
  total: number | null;
}

/** What a running job gets besides its params. */
export interface AdminJobContext {
  readonly jobId: string;
  /** Progress recorded so far: non-zero when the job is resumed after a restart. */
  readonly progress: AdminJobProgressReport;
  /**
   * Aborted when the service shuts down (or another replica took the job over): stop between two
   * steps by throwing (`signal.throwIfAborted()`); the job is queued again and resumed.
   */
  readonly signal: AbortSignal;
  /**
   * Records progress for `GET /admin/jobs/{jobId}` (and renews the job's lease). Given the
   * transaction of a step, it commits with the step, so a resumed job counts exactly what was done.
   */
  report(progress: AdminJobProgressReport, manager?: EntityManager): Promise<void>;
}

/**
 * A kind of admin job a service runs. Runs must be idempotent: a job resumed after a crash does
 * again whatever its interrupted run had not recorded.
 */
export interface AdminJobHandler {
  readonly kind: AdminJobKind;
  /** Starting a job of this kind, and reading it, need this admin permission. */
  readonly permission: AdminPermission;
  /** Does the work; returns what it did (the job's `result`). */
  run(params: Record<string, unknown>, context: AdminJobContext): Promise<Record<string, unknown>>;
}

/** A job's failure with a code of its own (a scheduled job that failed): kept as the job's error. */
export class AdminJobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
