import { BaseServiceConfig } from '@member-system/shared/config';
import type { Job, JobRunResult } from './job';
import { JobRegistry } from './job-registry';
import type { JobScheduler } from './job-scheduler';
import { JobsRpcController } from './jobs.rpc-controller';

const actor = { userId: '1', roles: ['admin' as const], perms: ['system:write' as const] };

function setup(allowClockOverride: boolean): { sut: JobsRpcController; runs: Date[] } {
  const runs: Date[] = [];
  const registry = new JobRegistry();
  const job: Job = {
    name: 'birthdays',
    schedule: { dailyAt: '00:05' },
    run: () => Promise.resolve({}),
  };
  registry.register(job);
  const scheduler = {
    runNow: (_: Job, asOf: Date): Promise<JobRunResult> => {
      runs.push(asOf);
      return Promise.resolve({
        job: 'birthdays',
        asOf: asOf.toISOString(),
        outcome: 'succeeded',
        result: {},
      });
    },
  } as unknown as JobScheduler;
  const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
  const config = Object.assign(new BaseServiceConfig(), {
    ALLOW_CLOCK_OVERRIDE: allowClockOverride,
  });
  return { sut: new JobsRpcController(registry, scheduler, clock, config), runs };
}

describe(JobsRpcController.name, () => {
  it('runs the job as of the clock when no time is given', async () => {
    const { sut, runs } = setup(false);
    await expect(
      sut.run({ data: { job: 'birthdays' }, actor, correlationId: 'c' }),
    ).resolves.toMatchObject({
      outcome: 'succeeded',
    });
    expect(runs).toEqual([new Date('2026-01-01T00:00:00Z')]);
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
    expect(allowed.runs).toEqual([new Date('2030-05-06T00:00:00Z')]);
  });

  it('answers NOT_FOUND for a job this service does not run', async () => {
    const { sut } = setup(true);
    await expect(
      sut.run({ data: { job: 'expire-points' }, actor, correlationId: 'c' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
