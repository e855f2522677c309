// The job-run metrics against the real MariaDB: what the replica that ran a job reports, and what
// a restarted replica reports before it runs anything (the last success as job_run has it).
import { Registry } from 'prom-client';
import type { ServiceDataSourceSpec } from '@member-system/shared/database';
import type { IntegrationEnv } from '@member-system/shared/testing';
import { openIntegrationEnv, testLogger } from '@member-system/shared/testing';
import { Clock } from '../src/clock';
import type { Job } from '../src/jobs';
import { JobMetrics, JobRegistry, JobScheduler, JobTables1764028800001 } from '../src/jobs';

const database: ServiceDataSourceSpec = {
  entities: [],
  migrations: [JobTables1764028800001],
  migrationsTableName: 'job_metrics_migrations',
};

const sweep: Job = { name: 'sweep', schedule: { everyMs: 60_000 }, run: () => Promise.resolve({}) };
const tally: Job = {
  name: 'tally',
  schedule: { dailyAt: '04:00' },
  run: () => Promise.reject(new Error('the tally does not add up')),
};

interface Replica {
  scheduler: JobScheduler;
  registry: Registry;
}

let env: IntegrationEnv;

function replica(): Replica {
  const jobs = new JobRegistry();
  jobs.register(sweep);
  jobs.register(tally);
  const registry = new Registry();
  const scheduler = new JobScheduler(
    env.dataSource,
    jobs,
    new Clock(),
    testLogger(),
    // Ticks far apart: the tests run jobs themselves.
    { timeZone: 'UTC', tickMs: 3_600_000, retryAfterMs: 600_000 },
    new JobMetrics(registry),
  );
  return { scheduler, registry };
}

/** The samples of a metric; of a histogram, those of one of its series (`<name>_count`, …). */
async function valuesOf(
  registry: Registry,
  name: string,
): Promise<Array<{ labels: Record<string, string | number>; value: number }>> {
  const base = name.replace(/_(count|sum|bucket)$/, '');
  const metric = registry.getSingleMetric(base);
  if (!metric) throw new Error(`${name} is not registered`);
  // A histogram's samples name their series (metricName); a counter's and a gauge's do not.
  return (await metric.get()).values
    .filter((sample) => ((sample as { metricName?: string }).metricName ?? base) === name)
    .map(({ labels, value }) => ({ labels: labels as Record<string, string | number>, value }));
}

async function valueOf(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  return (await valuesOf(registry, name)).find((entry) =>
    Object.entries(labels).every(([key, value]) => entry.labels[key] === value),
  )?.value;
}

beforeAll(async () => {
  env = await openIntegrationEnv(database);
});

afterAll(async () => {
  await env.close();
});

describe(JobMetrics.name, () => {
  it('counts, times and dates the runs of the replica that ran them', async () => {
    const { scheduler, registry } = replica();
    const before = Date.now() / 1000;
    await expect(scheduler.runNow(sweep, new Date())).resolves.toMatchObject({
      outcome: 'succeeded',
    });
    await expect(scheduler.runNow(tally, new Date())).resolves.toMatchObject({
      outcome: 'failed',
    });
    const after = Date.now() / 1000;

    await expect(
      valueOf(registry, 'member_job_runs_total', { job_name: 'sweep', outcome: 'succeeded' }),
    ).resolves.toBe(1);
    await expect(
      valueOf(registry, 'member_job_runs_total', { job_name: 'tally', outcome: 'failed' }),
    ).resolves.toBe(1);
    await expect(
      valueOf(registry, 'member_job_duration_seconds_count', {
        job_name: 'tally',
        outcome: 'failed',
      }),
    ).resolves.toBe(1);

    const lastSuccess = await valuesOf(registry, 'member_job_last_success_timestamp_seconds');
    expect(lastSuccess.map((entry) => entry.labels)).toEqual([{ job_name: 'sweep' }]);
    expect(lastSuccess[0]?.value).toBeGreaterThanOrEqual(before);
    expect(lastSuccess[0]?.value).toBeLessThanOrEqual(after);
  });

  it('reports the last success job_run holds after a restart, zero runs, and each interval', async () => {
    const [row] = await env.dataSource.query<Array<{ finished_at: Date }>>(
      "SELECT MAX(finished_at) AS finished_at FROM job_run WHERE job = 'sweep' AND outcome = 'succeeded'",
    );
    const restarted = replica();
    await restarted.scheduler.start();
    await restarted.scheduler.stop();
    const { registry } = restarted;

    await expect(valuesOf(registry, 'member_job_last_success_timestamp_seconds')).resolves.toEqual([
      { labels: { job_name: 'sweep' }, value: (row?.finished_at.getTime() ?? 0) / 1000 },
    ]);
    // Zero, not absent: a first failure must be an increase Prometheus can see.
    expect(
      (await valuesOf(registry, 'member_job_runs_total')).sort((a, b) =>
        `${a.labels['job_name']} ${a.labels['outcome']}`.localeCompare(
          `${b.labels['job_name']} ${b.labels['outcome']}`,
        ),
      ),
    ).toEqual([
      { labels: { job_name: 'sweep', outcome: 'failed' }, value: 0 },
      { labels: { job_name: 'sweep', outcome: 'succeeded' }, value: 0 },
      { labels: { job_name: 'tally', outcome: 'failed' }, value: 0 },
      { labels: { job_name: 'tally', outcome: 'succeeded' }, value: 0 },
    ]);
    await expect(
      valueOf(registry, 'member_job_interval_seconds', { job_name: 'sweep' }),
    ).resolves.toBe(60);
    await expect(
      valueOf(registry, 'member_job_interval_seconds', { job_name: 'tally' }),
    ).resolves.toBe(86_400);
  });

  it('keeps the later success when job_run has an older one', async () => {
    const { scheduler, registry } = replica();
    await scheduler.runNow(sweep, new Date());
    const ran = await valueOf(registry, 'member_job_last_success_timestamp_seconds', {
      job_name: 'sweep',
    });
    await env.dataSource.query(
      "INSERT INTO job_run (job, period_key, as_of, finished_at, outcome) VALUES ('sweep', NULL, ?, ?, 'succeeded')",
      [new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z')],
    );
    await scheduler.loadLastSuccesses();
    await expect(
      valueOf(registry, 'member_job_last_success_timestamp_seconds', { job_name: 'sweep' }),
    ).resolves.toBe(ran);
  });
});
