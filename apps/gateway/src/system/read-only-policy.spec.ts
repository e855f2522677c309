import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { isRefusedInReadOnlyMode, readOnlyRefusal } from './read-only-policy';

describe(isRefusedInReadOnlyMode.name, () => {
  it.each([
    ['GET', '/api/v1/points/me/balance'],
    ['HEAD', '/api/v1/members/me'],
    ['OPTIONS', '/api/v1/members/me'],
  ])('lets %s %s through: reads keep working', (method, route) => {
    expect(isRefusedInReadOnlyMode(method, route)).toBe(false);
  });

  it.each([
    ['POST', '/api/v1/points/me/check-in'],
    ['PATCH', '/api/v1/members/me'],
    ['PUT', '/api/v1/admin/levels/:levelId'],
    ['DELETE', '/api/v1/admin/benefits/:benefitId'],
    ['POST', '/api/v1/benefits/use'],
  ])('refuses %s %s', (method, route) => {
    expect(isRefusedInReadOnlyMode(method, route)).toBe(true);
  });

  it('lets the switch itself through, so read-only mode can be ended', () => {
    expect(isRefusedInReadOnlyMode('PUT', '/api/v1/admin/system/read-only')).toBe(false);
  });

  it('lets a quote through: it prices an order and writes nothing', () => {
    expect(isRefusedInReadOnlyMode('POST', '/api/v1/benefits/quote')).toBe(false);
  });

  it('refuses a write whose route is unknown', () => {
    expect(isRefusedInReadOnlyMode('POST', undefined)).toBe(true);
  });
});

describe(readOnlyRefusal.name, () => {
  it('is READ_ONLY_MODE with since and reason in the details', () => {
    const error = readOnlyRefusal({
      enabled: true,
      source: 'admin',
      reason: 'failover drill',
      since: '2026-11-25T07:00:00.000Z',
      by: '9001',
    });

    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({
      code: ErrorCode.ReadOnlyMode,
      details: { since: '2026-11-25T07:00:00.000Z', reason: 'failover drill' },
    });
  });
});
