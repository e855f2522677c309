import { ApiProperty } from '@nestjs/swagger';
import type { AdminPermission } from './actor';
import { RPC_QUEUES } from './rpc';
import type { ServiceName } from './rpc';

/**
 * Admin jobs: an admin operation that can outlast a request (a campaign's reward distribution, a
 * scheduled job run on demand) is started, answered at once with `202` and this view, and run in
 * the background by the service that owns the work, which keeps its state in its own `admin_job`
 * table; `GET /admin/jobs/{jobId}` reads it there.
 */
export const AdminJobRpc = { get: 'admin-jobs.get' } as const;

export const ADMIN_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type AdminJobStatus = (typeof ADMIN_JOB_STATUSES)[number];

export const ADMIN_JOB_KINDS = ['distribute-rewards', 'run-job'] as const;
export type AdminJobKind = (typeof ADMIN_JOB_KINDS)[number];

/** Starting a job of a kind, and reading it, need this admin permission. */
export const ADMIN_JOB_PERMISSIONS = {
  'distribute-rewards': 'campaigns:write',
  'run-job': 'system:write',
} as const satisfies Record<AdminJobKind, AdminPermission>;

/**
 * A job id names the service that owns the job and its row there (`event.42`), so the gateway
 * routes a read without a table of its own. The dot keeps ids apart from the job names of
 * `POST /admin/jobs/{job}/run`, which never contain one.
 */
const ADMIN_JOB_ID = new RegExp(`^(${Object.keys(RPC_QUEUES).join('|')})\\.([1-9]\\d{0,18})$`);

export function adminJobIdOf(service: string, rowId: string | number): string {
  return `${service}.${rowId}`;
}

/** The owning service and row id of a job id, or undefined when it is not one. */
export function parseAdminJobId(raw: string): { service: ServiceName; rowId: string } | undefined {
  const match = ADMIN_JOB_ID.exec(raw);
  if (!match?.[1] || !match[2]) return undefined;
  return { service: match[1] as ServiceName, rowId: match[2] };
}

export class AdminJobProgress {
  @ApiProperty({
    example: 400,
    description: 'Steps done so far (for distribute-rewards: participations rewarded)',
  })
  done!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 1000,
    description: 'Steps in all, when the job knows them; null otherwise',
  })
  total!: number | null;
}

export class AdminJobError {
  @ApiProperty({ example: 'CAMPAIGN_NOT_FOUND' })
  code!: string;

  @ApiProperty({ example: 'No campaign 5' })
  message!: string;
}

export class AdminJobView {
  @ApiProperty({ example: 'event.42', description: 'The owning service and its job number' })
  id!: string;

  @ApiProperty({ enum: ADMIN_JOB_KINDS, example: 'distribute-rewards' })
  kind!: AdminJobKind;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { campaignId: '5' },
    description:
      'What the job works on: `{campaignId}`, or `{job, asOf}` for a run of a scheduled job',
  })
  params!: Record<string, unknown>;

  @ApiProperty({ enum: ADMIN_JOB_STATUSES, example: 'running' })
  status!: AdminJobStatus;

  @ApiProperty({ type: AdminJobProgress })
  progress!: AdminJobProgress;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: null,
    description:
      'What the job did, once succeeded (the former synchronous answer of the route): `{campaignId, rewarded, batches, totals: {participants, completed, rewarded, pending}, status}` for distribute-rewards, `{job, asOf, outcome, result}` for run-job',
  })
  result!: Record<string, unknown> | null;

  @ApiProperty({
    type: AdminJobError,
    nullable: true,
    example: null,
    description: 'Why it failed, once failed',
  })
  error!: AdminJobError | null;

  @ApiProperty({ example: '1001', description: 'The admin who started it' })
  requestedBy!: string;

  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-25T08:00:00.050Z' })
  startedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  finishedAt!: string | null;
}

export interface GetAdminJobCommand {
  /** The row id within the owning service (the number of `event.42`). */
  rowId: string;
}
