import { ErrorCode, adminJobIdOf } from '@member-system/contracts';
import type { Actor, AdminJobKind, AdminJobStatus, AdminJobView } from '@member-system/contracts';
import { isDuplicateKeyError } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import type { DataSource } from 'typeorm';
import type { AdminJobRegistry } from './admin-job-registry';
import type { AdminJobRunner } from './admin-job-runner';

export interface AdminJobRow {
  id: string;
  kind: string;
  params: string;
  status: AdminJobStatus;
  progress_done: string;
  progress_total: string | null;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  requested_by: string;
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface StartAdminJob {
  kind: AdminJobKind;
  params: Record<string, unknown>;
  /**
   * While a job with this key is queued or running, starting another answers that one (one
   * distribution per campaign at a time).
   */
  activeKey: string;
  actor: Actor;
  correlationId: string;
}

/** How many times a job that vanished with its replica is started again before it is failed. */
export const ADMIN_JOB_MAX_ATTEMPTS = 5;

/** The admin jobs of one service: started here, read here; `AdminJobRunner` runs them. */
export class AdminJobs {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: AdminJobRegistry,
    /** The prefix of its job ids (`event` of `event.42`). */
    private readonly service: string,
    private readonly runner: AdminJobRunner,
  ) {}

  /** Queues the job and answers at once; the one already queued or running for its key if any. */
  async start(request: StartAdminJob): Promise<AdminJobView> {
    if (!this.registry.get(request.kind)) {
      throw new Error(`admin job ${request.kind} is not registered in this service`);
    }
    // The loser of a race with a job that has just finished finds no active row: insert again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        const inserted = await this.dataSource.query<{ insertId: number }>(
          `INSERT INTO admin_job (kind, params, active_key, requested_by, correlation_id)
           VALUES (?, ?, ?, ?, ?)`,
          [
            request.kind,
            JSON.stringify(request.params),
            request.activeKey,
            request.actor.userId,
            request.correlationId.slice(0, 128),
          ],
        );
        const queued = await rowOf(this.dataSource, String(inserted.insertId));
        void this.runner.wake(); // now rather than at the next poll
        return viewOf(this.service, queued);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const [active] = await this.dataSource.query<AdminJobRow[]>(
          'SELECT * FROM admin_job WHERE active_key = ?',
          [request.activeKey],
        );
        if (active) return viewOf(this.service, active);
      }
    }
    throw new AppException(ErrorCode.Conflict, 'The job could not be started; try again');
  }

  /** One job, for an admin who holds the permission its kind needs. */
  async get(rowId: string, actor: Actor): Promise<AdminJobView> {
    const [row] = await this.dataSource.query<AdminJobRow[]>(
      'SELECT * FROM admin_job WHERE id = ?',
      [rowId],
    );
    const jobId = adminJobIdOf(this.service, rowId);
    if (!row) throw new AppException(ErrorCode.JobNotFound, `No job ${jobId}`, { jobId });
    const permission = this.registry.get(row.kind)?.permission ?? 'system:write';
    if (!actor.roles.includes('admin') || !actor.perms.includes(permission)) {
      throw new AppException(ErrorCode.Forbidden, `Reading job ${jobId} needs ${permission}`, {
        jobId,
      });
    }
    return viewOf(this.service, row);
  }
}

export async function rowOf(dataSource: DataSource, rowId: string): Promise<AdminJobRow> {
  const [row] = await dataSource.query<AdminJobRow[]>('SELECT * FROM admin_job WHERE id = ?', [
    rowId,
  ]);
  if (!row) throw new Error(`admin job ${rowId} vanished`);
  return row;
}

export function viewOf(service: string, row: AdminJobRow): AdminJobView {
  return {
    id: adminJobIdOf(service, row.id),
    kind: row.kind as AdminJobKind,
    params: JSON.parse(row.params) as Record<string, unknown>,
    status: row.status,
    progress: {
      done: Number(row.progress_done),
      total: row.progress_total === null ? null : Number(row.progress_total),
    },
    result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    requestedBy: row.requested_by,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
