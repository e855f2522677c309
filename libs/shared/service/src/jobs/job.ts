/** A job a service runs on a schedule (one replica per period) and on demand through the admin API. */
export interface Job {
  /** The name in `POST /admin/jobs/{job}/run`. */
  readonly name: string;
  /** Daily at this local time (`HH:MM`, business time zone), or every `everyMs`. */
  readonly schedule: { dailyAt: string } | { everyMs: number };
  /** Does the work as of `asOf` (the clock's now, or an admin's override); returns a summary. */
  run(asOf: Date): Promise<Record<string, unknown>>;
}

export interface JobRunResult {
  job: string;
  asOf: string;
  outcome: 'succeeded' | 'failed';
  result: Record<string, unknown>;
}
