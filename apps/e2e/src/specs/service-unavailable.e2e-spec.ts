import type { RunningApp } from '@member-system/shared/testing';
import {
  amqpUrl,
  createVhost,
  deleteVhost,
  freePort,
  newTestRunId,
  startApp,
  stopApp,
} from '@member-system/shared/testing';
import { api, expectError, memberToken, nextUserId } from '../support/api';
import { fleetInfo } from '../support/fleet';

// Far above RPC_TIMEOUT_MS=1500: the point is that the gateway answers rather than hangs.
const ANSWER_BOUND_MS = 10_000;

describe('Gateway whose services do not answer', () => {
  const vhost = `ms_${newTestRunId()}_empty`;
  let gateway: RunningApp | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    await createVhost(vhost);
    const port = await freePort();
    gateway = await startApp(
      'gateway',
      { ...fleetInfo().env.gateway, RABBITMQ_URL: amqpUrl(vhost), RPC_TIMEOUT_MS: '1500' },
      port,
    );
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (gateway) await stopApp(gateway);
    await deleteVhost(vhost);
  });

  it.each([
    ['the points balance', '/api/v1/points/me/balance'],
    ['the member profile', '/api/v1/members/me'],
  ])('answers %s with 503 SERVICE_UNAVAILABLE instead of hanging', async (_name, path) => {
    const started = Date.now();

    const response = await api('GET', path, { baseUrl, token: memberToken(nextUserId()) });

    const elapsedMs = Date.now() - started;
    const error = expectError(response, 503, 'SERVICE_UNAVAILABLE');
    expect(error.message.length).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThan(ANSWER_BOUND_MS);
  });

  it('answers a registration with 503 SERVICE_UNAVAILABLE instead of hanging', async () => {
    const started = Date.now();

    const response = await api('POST', '/api/v1/members', {
      baseUrl,
      token: memberToken(nextUserId()),
      body: { nickname: 'nobody-home' },
    });

    expectError(response, 503, 'SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(ANSWER_BOUND_MS);
  });
});
