import type { FleetApp } from '@member-system/shared/testing';
import { FLEET_APPS, freePort, startApp, stopApp } from '@member-system/shared/testing';
import { api, expectError, memberToken, metricValue, nextUserId } from '../support/api';
import { fleetInfo, queryAppSchema } from '../support/fleet';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// stopApp's own default: SIGKILL follows SIGTERM after this long.
const SHUTDOWN_GRACE_MS = 10_000;

function appUrl(app: FleetApp, path: string): string {
  return `http://127.0.0.1:${fleetInfo().ports[app]}${path}`;
}

describe('Health and metrics on every app', () => {
  it.each(FLEET_APPS)('%s is live', async (app) => {
    const response = await fetch(appUrl(app, '/health/live'));

    expect(response.status).toBe(200);
  });

  it.each(FLEET_APPS)('%s is ready with mysql, redis and rabbitmq up', async (app) => {
    const response = await fetch(appUrl(app, '/health/ready'));

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      error: {},
      details: { mysql: { status: 'up' }, redis: { status: 'up' }, rabbitmq: { status: 'up' } },
      degraded: [],
    });
  });

  it.each(FLEET_APPS)(
    '%s serves Prometheus text with ms_ series and process metrics',
    async (app) => {
      const response = await fetch(appUrl(app, '/metrics'));
      const text = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(text).toMatch(/^# TYPE ms_\w+ (counter|gauge|histogram)$/m);
      expect(text).toMatch(/^process_cpu_seconds_total(\{[^}]*\})? \d/m);
    },
  );

  it('counts a gateway request under its route in ms_http_request_duration_seconds', async () => {
    const series = {
      method: 'GET',
      route: '/api/v1/members/me',
      status: '404',
      service: 'gateway',
    };
    const before = await metricValue('gateway', 'ms_http_request_duration_seconds_count', series);

    await api('GET', '/api/v1/members/me', { token: memberToken(nextUserId()) });

    await expect(
      metricValue('gateway', 'ms_http_request_duration_seconds_count', series),
    ).resolves.toBe(before + 1);
  });

  it("measures API answers in the seed's member_api_response_seconds, with request and error counts", async () => {
    const route = { method: 'GET', route: '/api/v1/members/me', service: 'gateway' };
    const counted: Array<[string, Record<string, string>]> = [
      ['member_api_response_seconds_count', { ...route, status_class: '4xx' }],
      ['member_api_requests_total', { ...route, status: '404' }],
      ['member_api_errors_total', { ...route, status: '404' }],
    ];
    const values = (): Promise<number[]> =>
      Promise.all(counted.map(([name, series]) => metricValue('gateway', name, series)));
    const before = await values();

    await api('GET', '/api/v1/members/me', { token: memberToken(nextUserId()) });

    await expect(values()).resolves.toEqual(before.map((value) => value + 1));
  });
});

/** The correlation ids of member-service's `member.registered.v1` events for this user. */
async function registeredEventCorrelationIds(userId: string): Promise<unknown[]> {
  const rows = await queryAppSchema(
    'member-service',
    "SELECT envelope FROM outbox_message WHERE event_type = 'member.registered.v1' AND envelope LIKE ?",
    [`%"userId":"${userId}"%`],
  );
  return rows.map(
    (row) => (JSON.parse(String(row['envelope'])) as { correlationId: unknown }).correlationId,
  );
}

describe('Correlation ids at the gateway', () => {
  it('echoes a sane X-Correlation-Id in the response header and the error body', async () => {
    const correlationId = `e2e-${nextUserId()}`;

    const response = await api('GET', '/api/v1/members/me', {
      token: memberToken(nextUserId()),
      headers: { 'X-Correlation-Id': correlationId },
    });

    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
    expect(expectError(response, 404, 'MEMBER_NOT_FOUND').correlationId).toBe(correlationId);
  });

  it('replaces an X-Correlation-Id with spaces by a generated one', async () => {
    const response = await api('GET', '/api/v1/members/me', {
      token: memberToken(nextUserId()),
      headers: { 'X-Correlation-Id': 'not a sane id' },
    });

    const generated = response.headers.get('x-correlation-id');
    expect(generated).toMatch(UUID);
    expect(expectError(response, 404, 'MEMBER_NOT_FOUND').correlationId).toBe(generated);
  });

  it("carries the request's id through the RPC into the event the service publishes", async () => {
    const userId = nextUserId();
    const correlationId = `e2e-register-${userId}`;

    const response = await api('POST', '/api/v1/members', {
      token: memberToken(userId),
      headers: { 'X-Correlation-Id': correlationId },
      body: { nickname: 'traced' },
    });

    expect(response.status).toBe(201);
    await expect(registeredEventCorrelationIds(userId)).resolves.toEqual([correlationId]);
  });

  it('gives a response without X-Correlation-Id a generated one', async () => {
    const response = await api('GET', '/health/live');

    expect(response.headers.get('x-correlation-id')).toMatch(UUID);
  });
});

describe('OpenAPI document of the gateway', () => {
  it('is an OpenAPI 3 document describing the member and points routes', async () => {
    const response = await api<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/docs-json',
    );

    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/members',
        '/api/v1/members/me',
        '/api/v1/points/me/balance',
      ]),
    );
  });
});

describe('Graceful shutdown of a service', () => {
  it('exits by itself with code 0 on SIGTERM, within the grace period, and the fleet keeps serving', async () => {
    const extra = await startApp(
      'member-service',
      fleetInfo().env['member-service'],
      await freePort(),
    );

    const ended = await stopApp(extra, SHUTDOWN_GRACE_MS);
    const afterwards = await api('POST', '/api/v1/members', {
      token: memberToken(nextUserId()),
      body: {},
    });

    // Killed after the grace period shows as signal SIGKILL; a clean exit as code 0.
    expect(ended).toEqual({ code: 0, signal: null });
    expect(afterwards.status).toBe(201);
  });
});
