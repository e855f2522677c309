import type { ApiOptions } from '../support/api';
import {
  DEV_JWT,
  api,
  expectError,
  memberToken,
  nextUserId,
  signHs256,
  token,
  waitForBalance,
} from '../support/api';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** The fleet's issuer and audience, valid for an hour. */
const devClaims = () => ({ iss: DEV_JWT.issuer, aud: DEV_JWT.audience, exp: nowSeconds() + 3600 });

describe('Registration input the gateway refuses', () => {
  it.each<[string, unknown, string]>([
    ['a nickname of the wrong type', { nickname: 5 }, 'nickname'],
    ['an unknown field', { foo: 1 }, 'foo'],
    ['a nickname of 65 characters', { nickname: 'a'.repeat(65) }, 'nickname'],
    ['a phone number in neither E.164 nor mainland form', { phone: '12345' }, 'phone'],
    ['an email without a domain', { email: 'alice@' }, 'email'],
    ['a birthday that is not a date', { birthday: '2023-02-30' }, 'birthday'],
    ['a birthday in another format', { birthday: '1990/01/01' }, 'birthday'],
  ])(
    'rejects %s with 400 VALIDATION_FAILED naming the field, and registers nobody',
    async (_name, body, field) => {
      const userId = nextUserId();

      const response = await api('POST', '/api/v1/members', { token: memberToken(userId), body });

      const error = expectError(response, 400, 'VALIDATION_FAILED');
      expect(error.details).toMatchObject({ fields: { [field]: expect.any(Array) } });
      await expectNotRegistered(userId);
    },
  );

  it.each([
    ['a JSON array', '[{"nickname":"in-an-array"}]'],
    ['JSON null', 'null'],
    ['a JSON string', '"nickname"'],
    ['a JSON number', '42'],
  ])(
    'rejects a body that is %s with 400 VALIDATION_FAILED naming the body, and registers nobody',
    async (_name, rawBody) => {
      const userId = nextUserId();

      const response = await api('POST', '/api/v1/members', {
        token: memberToken(userId),
        rawBody,
      });

      const error = expectError(response, 400, 'VALIDATION_FAILED');
      expect(error.details).toMatchObject({ fields: { body: expect.any(Array) } });
      await expectNotRegistered(userId);
    },
  );

  it.each<[string, ApiOptions, number]>([
    ['text that is not JSON, sent as application/json', { rawBody: '{"nickname": ' }, 400],
    ['a body over 64 KiB', { body: { nickname: 'x', padding: 'p'.repeat(70 * 1024) } }, 413],
  ])('rejects %s with %p and a code, and registers nobody', async (_name, options, status) => {
    const userId = nextUserId();

    const response = await api('POST', '/api/v1/members', {
      ...options,
      token: memberToken(userId),
    });

    expectError(response, status);
    await expectNotRegistered(userId);
  });
});

describe('An empty body sent as application/json', () => {
  it('registers the caller as a call without a body would', async () => {
    const userId = nextUserId();

    const response = await api('POST', '/api/v1/members', {
      token: memberToken(userId),
      rawBody: '',
    });

    expect({ status: response.status, userId: response.body.userId }).toEqual({
      status: 201,
      userId,
    });
  });

  it('checks a member in on a route that takes no body', async () => {
    const bearer = memberToken(nextUserId());
    expect((await api('POST', '/api/v1/members', { token: bearer, body: {} })).status).toBe(201);

    await waitForBalance(bearer);

    const checkIn = await api('POST', '/api/v1/points/me/check-in', { token: bearer, rawBody: '' });

    expect({ status: checkIn.status, points: checkIn.body.points }).toEqual({
      status: 201,
      points: expect.any(Number),
    });
  });
});

describe('Callers the gateway refuses', () => {
  it('answers a call without a token with 401 UNAUTHENTICATED', async () => {
    expectError(await api('GET', '/api/v1/members/me'), 401, 'UNAUTHENTICATED');
  });

  it.each([
    ['garbage', 'not.a.jwt'],
    [
      'signed with another secret',
      signHs256({ ...devClaims(), sub: '1', roles: ['member'] }, 'another-secret-of-some-length'),
    ],
    ['unsigned (alg none)', signHs256({ ...devClaims(), sub: '1', roles: ['member'] }, '', 'none')],
  ])('answers a token that is %s with 401 UNAUTHENTICATED', async (_name, bearer) => {
    const response = await api('GET', '/api/v1/members/me', { token: bearer });

    expectError(response, 401, 'UNAUTHENTICATED');
  });

  it('answers an expired token with 401 UNAUTHENTICATED', async () => {
    const expired = token({ sub: nextUserId(), roles: ['member'], exp: nowSeconds() - 3600 });

    expectError(await api('GET', '/api/v1/members/me', { token: expired }), 401, 'UNAUTHENTICATED');
  });

  it('answers a token with only the admin role on a member route with 403 FORBIDDEN', async () => {
    const admin = token({ sub: nextUserId(), roles: ['admin'], perms: ['members:read'] });

    expectError(await api('GET', '/api/v1/members/me', { token: admin }), 403, 'FORBIDDEN');
    expectError(await api('POST', '/api/v1/members', { token: admin, body: {} }), 403, 'FORBIDDEN');
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const response = await api('GET', '/api/v1/no-such-route', {
      token: memberToken(nextUserId()),
    });

    expectError(response, 404, 'ROUTE_NOT_FOUND');
  });
});

async function expectNotRegistered(userId: string): Promise<void> {
  expectError(
    await api('GET', '/api/v1/members/me', { token: memberToken(userId) }),
    404,
    'MEMBER_NOT_FOUND',
  );
}
