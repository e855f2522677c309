// Admin jobs on a real MariaDB: started at once, run in the background by a runner, one per key,
// handed over on shutdown, taken over when their replica died, and read only with the permission
// their kind needs. The job's work is a test kind whose steps the test releases one by one.
import type { Actor, AdminJobView } from '@member-system/contracts';
import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { openIntegrationEnv, testLogger, waitFor } from '@member-system/shared/testing';
import type { IntegrationEnv } from '@member-system/shared/testing';
import type { AdminJobContext, AdminJobHandler } from '../src/admin-jobs/admin-job';
import { AdminJobRegistry } from '../src/admin-jobs/admin-job-registry';
import { AdminJobRunner } from '../src/admin-jobs/admin-job-runner';
import { AdminJobTables1764028800900 } from '../src/admin-jobs/admin-job-tables.migration';
import { AdminJobs } from '../src/admin-jobs/admin-jobs';

const STEPS = 3;
const admin: Actor = { userId: '7', roles: ['admin'], perms: ['campaigns:write'] };

/** A job of three steps; each waits until the test releases it, then reports its progress. */
class SteppedJob implements AdminJobHandler {
  readonly kind = 'distribute-rewards';
  readonly permission = 'campaigns:write';
  private releases: Array<() => void> = [];
  readonly stepsRun: string[] = [];
  failWith: Error | undefined;

  async run(
    params: Record<string, unknown>,
    context: AdminJobContext,
  ): Promise<Record<string, unknown>> {
    for (let step = context.progress.done; step < STEPS; step += 1) {
      context.signal.throwIfAborted();
      // A step in hand when the service stops ends there (as a batch's transaction would).
      await new Promise<void>((resolve, reject) => {
        this.releases.push(resolve);
        context.signal.addEventListener('abort', () => reject(new Error('stopped')), {
          once: true,
        });
      });
      if (this.failWith) throw this.failWith;
      this.stepsRun.push(`${String(params['name'])}:${step}`);
      await context.report({ done: step + 1, total: STEPS });
    }
    return { name: params['name'], steps: STEPS };
  }

  /** Lets the next waiting step go on, once one is waiting. */
  async release(): Promise<void> {
    await waitFor(() => this.releases.length > 0, { what: 'a step waiting' });
    this.releases.shift()?.();
  }
}

interface Replica {
  jobs: AdminJobs;
  runner: AdminJobRunner;
  work: SteppedJob;
}

describe('admin jobs', () => {
  let env: IntegrationEnv;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    env = await openIntegrationEnv({
      entities: [],
      migrations: [AdminJobTables1764028800900],
      migrationsTableName: 'migrations',
    });
  });

  afterEach(async () => {
    for (const replica of replicas.splice(0)) await replica.runner.stop();
    await env.dataSource.query('DELETE FROM admin_job'); // nothing left for the next test's runner
  });

  afterAll(async () => {
    await env.close();
  });

  /** One replica of a service: its registry, runner and job store over the shared table. */
  function replica(leaseMs = 30_000): Replica {
    const registry = new AdminJobRegistry();
    const work = new SteppedJob();
    registry.register(work);
    const runner = new AdminJobRunner(env.dataSource, registry, 'event', testLogger(), {
      concurrency: 2,
      leaseMs,
    });
    const jobs = new AdminJobs(env.dataSource, registry, 'event', runner);
    const created = { jobs, runner, work };
    replicas.push(created);
    return created;
  }

  const start = (jobs: AdminJobs, name: string): Promise<AdminJobView> =>
    jobs.start({
      kind: 'distribute-rewards',
      params: { name },
      activeKey: `test:${name}`,
      actor: admin,
      correlationId: `c-${name}`,
    });

  const finished = (jobs: AdminJobs, id: string): Promise<AdminJobView> =>
    waitFor(
      async () => {
        const job = await jobs.get(rowIdOf(id), admin);
        return job.status === 'succeeded' || job.status === 'failed' ? job : false;
      },
      { timeoutMs: 10_000, what: `job ${id} to finish` },
    );

  const rowIdOf = (id: string): string => id.split('.')[1] ?? '';

  it('answers a new job at once, runs it in the background with progress, and keeps the result', async () => {
    const { jobs, runner, work } = replica();
    runner.start();
    const job = await start(jobs, 'a');
    expect(job).toMatchObject({
      id: expect.stringMatching(/^event\.\d+$/),
      kind: 'distribute-rewards',
      params: { name: 'a' },
      status: 'queued',
      progress: { done: 0, total: null },
      result: null,
      error: null,
      requestedBy: '7',
      startedAt: null,
      finishedAt: null,
    });
    await work.release();
    await waitFor(async () => (await jobs.get(rowIdOf(job.id), admin)).progress.done === 1, {
      what: 'the first step recorded',
    });
    expect(await jobs.get(rowIdOf(job.id), admin)).toMatchObject({
      status: 'running',
      progress: { done: 1, total: STEPS },
      startedAt: expect.any(String),
    });
    await work.release();
    await work.release();
    expect(await finished(jobs, job.id)).toMatchObject({
      status: 'succeeded',
      progress: { done: STEPS, total: STEPS },
      result: { name: 'a', steps: STEPS },
      finishedAt: expect.any(String),
    });
    expect(work.stepsRun).toEqual(['a:0', 'a:1', 'a:2']);
  });

  it('answers the queued or running job of the same key, and a new one once it finished', async () => {
    const { jobs, runner, work } = replica();
    runner.start();
    const [first, concurrent] = await Promise.all([start(jobs, 'b'), start(jobs, 'b')]);
    expect(concurrent.id).toBe(first.id);
    await work.release();
    expect((await start(jobs, 'b')).id).toBe(first.id);
    await work.release();
    await work.release();
    await finished(jobs, first.id);
    const next = await start(jobs, 'b');
    expect(next.id).not.toBe(first.id);
  });

  it('queues a running job again on shutdown, and another replica resumes it from its progress', async () => {
    const stopping = replica();
    stopping.runner.start();
    const job = await start(stopping.jobs, 'c');
    await stopping.work.release();
    await waitFor(
      async () => (await stopping.jobs.get(rowIdOf(job.id), admin)).progress.done === 1,
      { what: 'the first step recorded' },
    );
    await stopping.runner.stop();
    expect(await stopping.jobs.get(rowIdOf(job.id), admin)).toMatchObject({
      status: 'queued',
      progress: { done: 1, total: STEPS },
    });

    const next = replica();
    next.runner.start();
    await next.work.release();
    await next.work.release();
    expect(await finished(next.jobs, job.id)).toMatchObject({
      status: 'succeeded',
      progress: { done: STEPS, total: STEPS },
    });
    expect([...stopping.work.stepsRun, ...next.work.stepsRun]).toEqual(['c:0', 'c:1', 'c:2']);
  });

  it('takes over a job whose replica died once its lease has run out, never before', async () => {
    const { jobs, runner, work } = replica();
    // What a replica that died after the first step leaves: running, its lease still valid.
    const inserted = await env.dataSource.query<{ insertId: number }>(
      `INSERT INTO admin_job (kind, params, active_key, status, progress_done, progress_total,
              requested_by, attempts, lease_owner, lease_until, started_at)
       VALUES ('distribute-rewards', '{"name":"d"}', 'test:d', 'running', 1, 3, '7', 1, 'gone',
              CURRENT_TIMESTAMP(3) + INTERVAL 1 HOUR, CURRENT_TIMESTAMP(3))`,
    );
    const rowId = String(inserted.insertId);
    const job = { id: `event.${rowId}` };
    await runner.wake();
    expect(await jobs.get(rowId, admin)).toMatchObject({ status: 'running' });
    expect(work.stepsRun).toEqual([]);

    await env.dataSource.query(
      'UPDATE admin_job SET lease_until = CURRENT_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?',
      [rowId],
    );
    runner.start();
    await work.release();
    await work.release();
    expect(await finished(jobs, job.id)).toMatchObject({ status: 'succeeded' });
    expect(work.stepsRun).toEqual(['d:1', 'd:2']);
    const [row] = await env.dataSource.query<Array<{ attempts: number; lease_owner: null }>>(
      'SELECT attempts, lease_owner FROM admin_job WHERE id = ?',
      [rowId],
    );
    expect(row).toEqual({ attempts: 2, lease_owner: null });
  });

  it('keeps the code of a failure the job meant, and hides the insides of any other', async () => {
    const { jobs, runner, work } = replica();
    runner.start();
    work.failWith = new AppException(ErrorCode.CampaignNotFound, 'No campaign 5');
    const meant = await start(jobs, 'e');
    await work.release();
    expect(await finished(jobs, meant.id)).toMatchObject({
      status: 'failed',
      result: null,
      error: { code: 'CAMPAIGN_NOT_FOUND', message: 'No campaign 5' },
    });
    work.failWith = new Error('connect ECONNREFUSED 10.0.0.7:3306');
    const crashed = await start(jobs, 'f');
    await work.release();
    const failed = await finished(jobs, crashed.id);
    expect(failed.error).toEqual({ code: 'INTERNAL_ERROR', message: expect.any(String) });
    expect(JSON.stringify(failed)).not.toContain('ECONNREFUSED');
  });

  it('shows a job only to an admin with the permission of its kind', async () => {
    const { jobs } = replica();
    const job = await start(jobs, 'g');
    const rowId = rowIdOf(job.id);
    await expect(
      jobs.get(rowId, { userId: '8', roles: ['admin'], perms: ['system:write'] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      jobs.get(rowId, { userId: '9', roles: ['member'], perms: [] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(jobs.get('999999999', admin)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
