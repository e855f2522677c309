import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Job } from './job';

const OUTCOMES = ['succeeded', 'failed'] as const;
const DAY_SECONDS = 86_400;

/**
 * The runs of scheduled jobs, for the MemberScheduledJobFailed and MemberScheduledJobMissing
 * alerts. The label is `job_name`, not `job`: Prometheus sets `job` on every scraped series (the
 * app), and would rename a `job` label of ours to `exported_job`.
 */
export class JobMetrics {
  private readonly runs: Counter<'job_name' | 'outcome'>;
  private readonly duration: Histogram<'job_name' | 'outcome'>;
  private readonly lastSuccess: Gauge<'job_name'>;
  private readonly interval: Gauge<'job_name'>;
  private readonly lastSuccesses = new Map<string, number>();

  constructor(registry: Registry) {
    this.runs = new Counter({
      name: 'member_job_runs_total',
      help: 'Runs of scheduled jobs (on schedule or asked by an admin) this replica did, by job and outcome (succeeded, failed)',
      labelNames: ['job_name', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'member_job_duration_seconds',
      help: 'Time a job run took, by job and outcome',
      labelNames: ['job_name', 'outcome'],
      // From the every-minute sweeps (well under a second) to a daily job over a large table.
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400],
      registers: [registry],
    });
    this.lastSuccess = new Gauge({
      name: 'member_job_last_success_timestamp_seconds',
      help: 'When the last successful run of a job ended (any replica: read from job_run at start), Unix seconds',
      labelNames: ['job_name'],
      registers: [registry],
    });
    this.interval = new Gauge({
      name: 'member_job_interval_seconds',
      help: 'Time between the scheduled runs of a job (86400 for a daily job)',
      labelNames: ['job_name'],
      registers: [registry],
    });
  }

  /**
   * Publishes the jobs this replica schedules: their interval, and zero runs of each outcome, so
   * that a replica's first failure is an increase from 0 rather than a new series `increase()`
   * cannot see.
   */
  schedules(jobs: Job[]): void {
    for (const job of jobs) {
      const seconds = 'everyMs' in job.schedule ? job.schedule.everyMs / 1000 : DAY_SECONDS;
      this.interval.set({ job_name: job.name }, seconds);
      for (const outcome of OUTCOMES) this.runs.inc({ job_name: job.name, outcome }, 0);
    }
  }

  /** A run's end on this replica. */
  ran(job: string, outcome: (typeof OUTCOMES)[number], seconds: number, endedAt: Date): void {
    this.runs.inc({ job_name: job, outcome });
    this.duration.observe({ job_name: job, outcome }, seconds);
    if (outcome === 'succeeded') this.succeededAt(job, endedAt);
  }

  /** A success recorded earlier (by any replica), unless this replica knows a later one. */
  succeededAt(job: string, endedAt: Date): void {
    const seconds = endedAt.getTime() / 1000;
    if (seconds <= (this.lastSuccesses.get(job) ?? 0)) return;
    this.lastSuccesses.set(job, seconds);
    this.lastSuccess.set({ job_name: job }, seconds);
  }
}
