import type { HealthCheck } from './health';
import { runHealthChecks } from './health';

const up = (name: string): HealthCheck => ({ name, check: () => Promise.resolve() });
const failing = (name: string, error: Error): HealthCheck => ({
  name,
  check: () => Promise.reject(error),
});
const hanging = (name: string): HealthCheck => ({
  name,
  check: () => new Promise<void>(() => undefined),
});

describe(runHealthChecks.name, () => {
  const sut = runHealthChecks;

  it('is ok when every dependency is up', async () => {
    await expect(sut([up('mysql'), up('redis'), up('rabbitmq')])).resolves.toEqual({
      status: 'ok',
      checks: { mysql: { status: 'up' }, redis: { status: 'up' }, rabbitmq: { status: 'up' } },
    });
  });

  it('is ok with nothing to check', async () => {
    await expect(sut([])).resolves.toEqual({ status: 'ok', checks: {} });
  });

  it('is unavailable when one check rejects, with its error message', async () => {
    await expect(
      sut([up('mysql'), failing('redis', new Error('connect ECONNREFUSED 127.0.0.1:6379'))]),
    ).resolves.toEqual({
      status: 'unavailable',
      checks: {
        mysql: { status: 'up' },
        redis: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:6379' },
      },
    });
  });

  it('reports a rejection that is not an Error as text', async () => {
    const rejectsWithText: HealthCheck = {
      name: 'rabbitmq',
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
      check: () => Promise.reject('channel closed'),
    };

    const report = await sut([rejectsWithText]);

    expect(report.checks.rabbitmq).toEqual({ status: 'down', error: 'channel closed' });
  });

  it('marks a check that never answers as down after the timeout', async () => {
    const started = Date.now();

    const report = await sut([up('mysql'), hanging('rabbitmq')], 50);

    expect(report).toEqual({
      status: 'unavailable',
      checks: {
        mysql: { status: 'up' },
        rabbitmq: { status: 'down', error: 'no answer in 50 ms' },
      },
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('runs the checks side by side, so two hanging checks cost one timeout', async () => {
    const started = Date.now();

    await sut([hanging('a'), hanging('b'), hanging('c')], 100);

    expect(Date.now() - started).toBeLessThan(250);
  });
});
