import { BaseServiceConfig } from '@member-system/shared/config';
import type { AdminJobView } from '@member-system/contracts';
import type { AdminJobs, StartAdminJob } from '../admin-jobs/admin-jobs';
import type { Job } from './job';
import { JobRegistry } from './job-registry';
import { JobsRpcController } from './jobs.rpc-controller';

const actor = { userId: '1', roles: ['admin' as const], perms: ['system:write' as const] };

function setup(allowClockOverride: boolean): { sut: JobsRpcController; started: StartAdminJob[] } {
  const started: StartAdminJob[] = [];
  const registry = new JobRegistry();
  const job: Job = {
    name: 'birthdays',
    schedule: { dailyAt: '00:05' },
    run: () => Promise.resolve({}),
  };
  registry.register(job);
  const adminJobs = {
    start: (request: StartAdminJob): Promise<AdminJobView> => {
      started.push(request);
      return Promise.resolve({ id: 'member.1', status: 'queued' } as AdminJobView);
    },
  } as unknown as AdminJobs;
  const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
  const config = Object.assign(new BaseServiceConfig(), {
    ALLOW_CLOCK_OVERRIDE: allowClockOverride,
  });
  return { sut: new JobsRpcController(registry, adminJobs, clock, config), started };
}

describe(JobsRpcController.name, () => {
  it('starts a run as of the clock when no time is given, one at a time', async () => {
    const { sut, started } = setup(false);
    await expect(
      sut.run({ data: { job: 'birthdays' }, actor, correlationId: 'c' }),
    ).resolves.toMatchObject({ id: 'member.1', status: 'queued' });
    expect(started).toEqual([
      {
        kind: 'run-job',
        params: { job: 'birthdays', asOf: '2026-01-01T00:00:00.000Z' },
        activeKey: 'run-job:birthdays:now',
        actor,
        correlationId: 'c',
      },
    ]);
  });

  it('refuses asOf unless the clock override is allowed', async () => {
    const command = {
      data: { job: 'birthdays' as const, asOf: '2030-05-06T00:00:00Z' },
      actor,
      correlationId: 'c',
    };
    await expect(setup(false).sut.run(command)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const allowed = setup(true);
    await allowed.sut.run(command);
    expect(allowed.started.map((request) => [request.params, request.activeKey])).toEqual([
      [
        { job: 'birthdays', asOf: '2030-05-06T00:00:00.000Z' },
        'run-job:birthdays:2030-05-06T00:00:00.000Z',
      ],
    ]);
  });

  it('answers NOT_FOUND for a job this service does not run', async () => {
    const { sut, started } = setup(true);
    await expect(
      sut.run({ data: { job: 'expire-points' }, actor, correlationId: 'c' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(started).toEqual([]);
  });
});
