import type { FastifyReply } from 'fastify';
import { AppMetrics } from '../metrics';
import { ObservabilityController } from './observability.controller';

function replyRecordingStatus(): FastifyReply & { statusCode: number } {
  const reply = {
    statusCode: 0,
    status(code: number) {
      reply.statusCode = code;
      return reply;
    },
  };
  return reply as unknown as FastifyReply & { statusCode: number };
}

describe(`${ObservabilityController.name} readiness`, () => {
  const up = { name: 'redis', check: () => Promise.resolve() };
  const metrics = new AppMetrics('probe');

  it('shows info entries beside the checks and stays ready', async () => {
    const sut = new ObservabilityController([up], metrics, [
      { name: 'readOnly', describe: () => Promise.resolve({ enabled: true, source: 'admin' }) },
    ]);
    const reply = replyRecordingStatus();

    const report = await sut.ready(reply);

    expect(reply.statusCode).toBe(200);
    expect(report).toEqual({
      status: 'ok',
      checks: { redis: { status: 'up' } },
      readOnly: { enabled: true, source: 'admin' },
    });
  });

  it('shows an info entry that fails as its error without failing readiness', async () => {
    const sut = new ObservabilityController([up], metrics, [
      { name: 'readOnly', describe: () => Promise.reject(new Error('no state')) },
    ]);
    const reply = replyRecordingStatus();

    const report = await sut.ready(reply);

    expect(reply.statusCode).toBe(200);
    expect(report).toMatchObject({ status: 'ok', readOnly: { error: 'no state' } });
  });

  it('answers the plain report when no info is registered', async () => {
    const sut = new ObservabilityController([up], metrics);

    await expect(sut.ready(replyRecordingStatus())).resolves.toEqual({
      status: 'ok',
      checks: { redis: { status: 'up' } },
    });
  });
});
