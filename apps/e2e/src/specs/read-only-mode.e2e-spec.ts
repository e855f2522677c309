import { Controller, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { MemberRpc, RPC_QUEUES } from '@member-system/contracts';
import type { BalanceView, MemberView, ReadOnlyView } from '@member-system/contracts';
import { RpcErrorsThrough, rpcServerOptions } from '@member-system/shared/messaging';
import { AppMetrics } from '@member-system/shared/observability';
import type { RunningApp } from '@member-system/shared/testing';
import {
  amqpUrl,
  createVhost,
  deleteRedisKeys,
  deleteVhost,
  freePort,
  startApp,
  stopApp,
  testLogger,
  waitFor,
} from '@member-system/shared/testing';
import type { ApiOptions, ApiResponse, Method } from '../support/api';
import {
  api,
  expectError,
  memberToken,
  metricValue,
  nextUserId,
  token,
  waitForBalance,
} from '../support/api';
import { fleetInfo } from '../support/fleet';

const SWITCH = '/api/v1/admin/system/read-only';
/** The alert of the seed design's failover_to_readonly_mode. */
const SEED_ALERT = '会员系统已切换到只读模式';

interface Readiness {
  status: string;
  readOnly: ReadOnlyView;
}

async function readiness(port: number): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

interface OwnGateway {
  app: RunningApp;
  port: number;
  baseUrl: string;
  redisPrefix: string;
}

/** Another gateway of the fleet (same services and schema) with read-only state of its own. */
async function startOwnGateway(
  name: string,
  env: Record<string, string> = {},
): Promise<OwnGateway> {
  const redisPrefix = `ms:${fleetInfo().runId}:gw-${name}:`;
  const port = await freePort();
  const app = await startApp(
    'gateway',
    { ...fleetInfo().env.gateway, REDIS_PREFIX: redisPrefix, ...env },
    port,
  );
  return { app, port, baseUrl: `http://127.0.0.1:${port}`, redisPrefix };
}

// Its own gateway: the fleet's, shared with specs that may run at the same time, never goes read-only.
describe('Read-only mode on and off', () => {
  const adminId = nextUserId();
  const admin = token({ sub: adminId, roles: ['admin'], perms: ['system:write'] });
  const member = memberToken(nextUserId());
  let gateway: OwnGateway | undefined;

  // Never falls back to the fleet's gateway.
  const own = (): OwnGateway => {
    if (!gateway) throw new Error('the read-only gateway did not start');
    return gateway;
  };
  const call = <T = Record<string, unknown>>(
    method: Method,
    path: string,
    options: Omit<ApiOptions, 'baseUrl'> = {},
  ): Promise<ApiResponse<T>> => api<T>(method, path, { ...options, baseUrl: own().baseUrl });
  const switchReadOnly = (body: unknown, bearer = admin): Promise<ApiResponse<ReadOnlyView>> =>
    call<ReadOnlyView>('PUT', SWITCH, { token: bearer, body });
  const port = (): number => own().port;

  beforeAll(async () => {
    gateway = await startOwnGateway('read-only-admin');
    await call('POST', '/api/v1/members', { token: member, body: { nickname: 'Before' } });
    await waitForBalance(member);
  });

  afterAll(async () => {
    if (gateway) {
      await stopApp(gateway.app);
      await deleteRedisKeys(gateway.redisPrefix);
    }
  });

  afterEach(async () => {
    const off = await switchReadOnly({ enabled: false });
    expect(off.status).toBe(200);
  });

  it('refuses writes with 503 READ_ONLY_MODE while on, changing nothing, and keeps reads working', async () => {
    const balanceBefore = await call<BalanceView>('GET', '/api/v1/points/me/balance', {
      token: member,
    });

    const on = await switchReadOnly({ enabled: true, reason: 'e2e failover drill' });

    expect(on.status).toBe(200);
    expect(on.body).toEqual({
      enabled: true,
      source: 'admin',
      reason: 'e2e failover drill',
      since: expect.any(String),
      by: adminId,
    });
    const since = (on.body as { since: string }).since;
    const rename = await call('PATCH', '/api/v1/members/me', {
      token: member,
      body: { nickname: 'After' },
    });
    expect(expectError(rename, 503, 'READ_ONLY_MODE').details).toEqual({
      since,
      reason: 'e2e failover drill',
    });
    expect(rename.headers.get('retry-after')).toBe('60');
    expectError(
      await call('POST', '/api/v1/points/me/check-in', { token: member }),
      503,
      'READ_ONLY_MODE',
    );
    const profile = await call<MemberView>('GET', '/api/v1/members/me', { token: member });
    expect(profile.status).toBe(200);
    expect(profile.body.nickname).toBe('Before');
    const balance = await call<BalanceView>('GET', '/api/v1/points/me/balance', { token: member });
    expect(balance.status).toBe(200);
    expect(balance.body).toEqual(balanceBefore.body);
  });

  it('lets writes through again once switched off', async () => {
    await switchReadOnly({ enabled: true });

    const off = await switchReadOnly({ enabled: false });

    expect(off.body).toEqual({ enabled: false });
    const rename = await call<MemberView>('PATCH', '/api/v1/members/me', {
      token: member,
      body: { nickname: 'After' },
    });
    expect(rename.status).toBe(200);
    expect(rename.body.nickname).toBe('After');
    // The first check-in of the day: the refused one above did not count.
    expect((await call('POST', '/api/v1/points/me/check-in', { token: member })).status).toBe(201);
  });

  it('shows the mode in /health/ready, still 200, and as ms_gateway_read_only', async () => {
    await switchReadOnly({ enabled: true, reason: 'visible' });

    const whileOn = await readiness(port());
    const adminSeries = await metricValue(port(), 'ms_gateway_read_only', { source: 'admin' });
    await switchReadOnly({ enabled: false });
    const whenOff = await readiness(port());

    expect(whileOn.status).toBe(200);
    expect(whileOn.body).toMatchObject({
      status: 'ok',
      readOnly: { enabled: true, source: 'admin', reason: 'visible' },
    });
    expect(adminSeries).toBe(1);
    expect(whenOff.status).toBe(200);
    expect(whenOff.body.readOnly).toEqual({ enabled: false });
    await expect(metricValue(port(), 'ms_gateway_read_only')).resolves.toBe(0);
  });

  it("raises the seed's alert in the log, at error level, once on and once off", async () => {
    const alertLines = (field: 'alert' | 'alertResolved'): number =>
      own().app.output.filter(
        (line) => line.includes('"level":"error"') && line.includes(`"${field}":"${SEED_ALERT}"`),
      ).length;
    const [raisedBefore, resolvedBefore] = [alertLines('alert'), alertLines('alertResolved')];

    await switchReadOnly({ enabled: true, reason: 'alert drill' });
    await switchReadOnly({ enabled: true, reason: 'still on: no second alert' });
    await switchReadOnly({ enabled: false });

    await waitFor(() => alertLines('alertResolved') === resolvedBefore + 1, {
      what: 'the resolved alert in the log',
    });
    expect(alertLines('alert')).toBe(raisedBefore + 1);
  });

  it('shows the state to system:write admins while on', async () => {
    await switchReadOnly({ enabled: true, reason: 'shown' });

    const shown = await call<ReadOnlyView>('GET', SWITCH, { token: admin });

    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ enabled: true, source: 'admin', reason: 'shown' });
  });

  it.each([
    [
      'an admin without system:write',
      token({ sub: '5', roles: ['admin'], perms: ['members:read'] }),
    ],
    ['a member', memberToken('6')],
  ])('answers 403 to %s, and the mode stays off', async (_who, bearer) => {
    expectError(await switchReadOnly({ enabled: true }, bearer), 403, 'FORBIDDEN');
    expectError(await call('GET', SWITCH, { token: bearer }), 403, 'FORBIDDEN');
    await expect(call('GET', SWITCH, { token: admin })).resolves.toMatchObject({
      body: { enabled: false },
    });
  });

  it.each([
    ['no enabled', { reason: 'why' }, 'enabled'],
    ['a string for enabled', { enabled: 'yes' }, 'enabled'],
    ['an empty reason', { enabled: true, reason: '' }, 'reason'],
    ['an unknown field', { enabled: true, until: 'tomorrow' }, 'until'],
  ])('answers 400 VALIDATION_FAILED to %s', async (_case, body, field) => {
    const error = expectError(await switchReadOnly(body), 400, 'VALIDATION_FAILED');

    expect(error.details?.['fields']).toHaveProperty(field);
  });
});

/** Stands in for member-service over a database that refuses writes: reads answer, writes fail. */
@Controller()
class UnwritableMemberService {
  @MessagePattern(MemberRpc.getMe)
  me(): Partial<MemberView> {
    return { nickname: 'Stored' };
  }

  @MessagePattern(MemberRpc.updateMe)
  updateMe(): never {
    // What mysql2 raises when the server runs with --read-only (ER_OPTION_PREVENTS_STATEMENT).
    throw Object.assign(new Error('The MariaDB server is running with the --read-only option'), {
      errno: 1290,
      code: 'ER_OPTION_PREVENTS_STATEMENT',
    });
  }
}

@Module({ controllers: [UnwritableMemberService] })
class UnwritableMemberModule {}

describe('Read-only mode switched on by a service whose database refuses writes', () => {
  // A vhost of its own, where the only member-service is the stand-in.
  const vhost = `ms_${fleetInfo().runId}_read_only`;
  const autoSeconds = 3;
  const admin = token({ sub: nextUserId(), roles: ['admin'], perms: ['system:write'] });
  let memberService: INestMicroservice | undefined;
  let gateway: OwnGateway | undefined;
  let port: number;
  let baseUrl: string;

  beforeAll(async () => {
    await createVhost(vhost);
    memberService = await NestFactory.createMicroservice(UnwritableMemberModule, {
      ...rpcServerOptions(
        amqpUrl(vhost),
        RPC_QUEUES.member,
        4,
        testLogger(),
        new AppMetrics('member-service'),
      ),
      logger: false,
    });
    memberService.useGlobalFilters(new RpcErrorsThrough());
    await memberService.listen();
    gateway = await startOwnGateway('read-only-automatic', {
      RABBITMQ_URL: amqpUrl(vhost),
      AUTO_READ_ONLY_SECONDS: String(autoSeconds),
      RPC_TIMEOUT_MS: '1500',
    });
    ({ port, baseUrl } = gateway);
  });

  afterAll(async () => {
    if (gateway) {
      await stopApp(gateway.app);
      await deleteRedisKeys(gateway.redisPrefix);
    }
    await memberService?.close();
    await deleteVhost(vhost);
  });

  afterEach(async () => {
    await api('PUT', SWITCH, { baseUrl, token: admin, body: { enabled: false } });
  });

  const reportedUnwritable = async (): Promise<ApiResponse> => {
    const response = await api('PATCH', '/api/v1/members/me', {
      baseUrl,
      token: memberToken(nextUserId()),
      body: { nickname: 'Blocked' },
    });
    expectError(response, 503, 'READ_ONLY_MODE');
    return response;
  };

  it('switches on for every write, keeps reads working, and ends by itself', async () => {
    const refused = await reportedUnwritable();

    expect(expectError(refused, 503, 'READ_ONLY_MODE').details).toEqual({
      since: expect.any(String),
      reason: 'member-service reports its primary database unwritable',
    });
    // point-service is not even running here: the gateway refuses before asking it.
    expectError(
      await api('POST', '/api/v1/points/me/check-in', { baseUrl, token: memberToken('7') }),
      503,
      'READ_ONLY_MODE',
    );
    const read = await api<MemberView>('GET', '/api/v1/members/me', {
      baseUrl,
      token: memberToken('7'),
    });
    expect(read.status).toBe(200);
    expect(read.body.nickname).toBe('Stored');
    expect((await readiness(port)).body.readOnly).toMatchObject({
      enabled: true,
      source: 'automatic',
      by: 'member-service',
    });
    await expect(metricValue(port, 'ms_gateway_read_only', { source: 'automatic' })).resolves.toBe(
      1,
    );

    await waitFor(async () => !(await readiness(port)).body.readOnly.enabled, {
      timeoutMs: autoSeconds * 1000 + 5000,
      intervalMs: 200,
      what: 'automatic read-only mode to end by itself',
    });
    // Past the mode, the write reaches the gateway's RPC again (and finds no point-service).
    expectError(
      await api('POST', '/api/v1/points/me/check-in', { baseUrl, token: memberToken('7') }),
      503,
      'SERVICE_UNAVAILABLE',
    );
  });

  it("ends early with an admin's switch off", async () => {
    await reportedUnwritable();

    const off = await api('PUT', SWITCH, { baseUrl, token: admin, body: { enabled: false } });

    expect(off.body).toEqual({ enabled: false });
    expect((await readiness(port)).body.readOnly).toEqual({ enabled: false });
  });
});
