import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import type { ServiceName } from './rpc';

/** The same pattern on every service's queue: the queue says which service runs the job. */
export const JobRpc = { run: 'jobs.run' } as const;

/** Which service runs each job of `POST /admin/jobs/{job}/run`. */
export const JOB_OWNERS = {
  birthdays: 'member',
  'reevaluate-levels': 'member',
  'reencrypt-pii': 'member',
  'expire-points': 'point',
  'release-freezes': 'point',
  'expire-holds': 'point',
  'reconcile-points': 'point',
  'partition-points-history': 'point',
  'close-campaigns': 'event',
} as const satisfies Record<string, ServiceName>;
export type JobName = keyof typeof JOB_OWNERS;

export function isJobName(value: string): value is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_OWNERS, value);
}

export class RunJobDto {
  /** The time the job treats as now; honoured only where ALLOW_CLOCK_OVERRIDE=true. */
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-25T00:10:00.000Z',
    description: 'The time the job treats as now; honoured only where ALLOW_CLOCK_OVERRIDE=true',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export interface RunJobCommand {
  job: JobName;
  asOf?: string;
}
