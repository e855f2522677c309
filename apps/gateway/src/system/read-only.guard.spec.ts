import type { ExecutionContext } from '@nestjs/common';
import { ErrorCode } from '@member-system/contracts';
import { ReadOnlyGuard } from './read-only.guard';
import type { ReadOnlyMode } from './read-only-mode';
import type { ReadOnlyState } from './read-only-state';

const adminOn: ReadOnlyState = {
  enabled: true,
  source: 'admin',
  reason: 'failover drill',
  since: '2026-11-25T07:00:00.000Z',
  by: '9001',
};

function httpContext(method: string, url: string) {
  const headers: Record<string, string> = {};
  const reply = {
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
  };
  const context = {
    getType: () => 'http',
    switchToHttp: () => ({
      getRequest: () => ({ method, routeOptions: { url } }),
      getResponse: () => reply,
    }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

const guardWith = (state: ReadOnlyState): ReadOnlyGuard =>
  new ReadOnlyGuard({ current: () => Promise.resolve(state) } as unknown as ReadOnlyMode);

describe(ReadOnlyGuard.name, () => {
  it('refuses a write with READ_ONLY_MODE and a Retry-After while the mode is on', async () => {
    const { context, headers } = httpContext('POST', '/api/v1/points/me/check-in');

    await expect(guardWith(adminOn).canActivate(context)).rejects.toMatchObject({
      code: ErrorCode.ReadOnlyMode,
      details: { since: adminOn.since, reason: 'failover drill' },
    });
    expect(headers).toEqual({ 'retry-after': '60' });
  });

  it('lets a read through while the mode is on', async () => {
    const { context } = httpContext('GET', '/api/v1/points/me/balance');

    await expect(guardWith(adminOn).canActivate(context)).resolves.toBe(true);
  });

  it('lets a write through while the mode is off', async () => {
    const { context } = httpContext('POST', '/api/v1/points/me/check-in');

    await expect(guardWith({ enabled: false }).canActivate(context)).resolves.toBe(true);
  });
});
