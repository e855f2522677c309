// Tokens of an identity provider: RS256 and ES256 keys published as a JWKS that rotates.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { RunningApp, SigningKey } from '@member-system/shared/testing';
import {
  KeySetServer,
  freePort,
  signingKey,
  startApp,
  stopApp,
} from '@member-system/shared/testing';
import { api, expectError, memberToken, nextUserId } from '../support/api';
import { fleetInfo } from '../support/fleet';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'member-system-api';
const USER_ID_CLAIM = 'uid';

/** A token as the provider issues it: its own `sub`, the platform user id in `uid`. */
async function providerToken(
  key: SigningKey,
  claims: Record<string, unknown>,
  { issuer = ISSUER, audience = AUDIENCE } = {},
): Promise<string> {
  return (
    new SignJWT({ sub: `idp|${randomUUID()}`, ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      // A new jti for every token: the gateway remembers a token it has verified, by its text.
      .setJti(randomUUID())
      .setExpirationTime('10m')
      .sign(key.privateKey)
  );
}

describe('Tokens of an identity provider (JWKS)', () => {
  const keySet = new KeySetServer();
  const rsa = signingKey('rsa-2026-01', 'RS256');
  const ec = signingKey('ec-2026-01', 'ES256');
  let gateway: RunningApp | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    keySet.publish(rsa, ec);
    const jwksUrl = await keySet.start();
    const port = await freePort();
    gateway = await startApp(
      'gateway',
      {
        ...fleetInfo().env.gateway,
        JWT_ALGORITHM: 'RS256,ES256',
        JWT_JWKS_URL: jwksUrl,
        // Every unknown kid fetches the set again at once, so the test needs no waiting.
        JWT_JWKS_COOLDOWN_SECONDS: '0',
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWT_USER_ID_CLAIM: USER_ID_CLAIM,
      },
      port,
    );
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (gateway) await stopApp(gateway);
    await keySet.stop();
  });

  const call = (method: 'GET' | 'POST', path: string, token: string) =>
    api<{ id: string; userId: string }>(method, `/api/v1${path}`, {
      token,
      baseUrl,
      ...(method === 'POST' ? { body: {} } : {}),
    });

  it('registers and shows the member of the uid claim, with RS256 and ES256 keys picked by kid', async () => {
    const userId = nextUserId();

    const registered = await call(
      'POST',
      '/members',
      await providerToken(rsa, { uid: userId, roles: ['member'] }),
    );
    const me = await call(
      'GET',
      '/members/me',
      await providerToken(ec, { uid: userId, roles: ['member'] }),
    );
    // The fleet's own gateway takes the platform user id from sub: the same member.
    const viaSub = await api<{ id: string }>('GET', '/api/v1/members/me', {
      token: memberToken(userId),
    });

    expect(registered.status).toBe(201);
    expect({ status: me.status, id: me.body.id, userId: me.body.userId }).toEqual({
      status: 200,
      id: registered.body.id,
      userId,
    });
    expect(viaSub.body.id).toBe(registered.body.id);
  });

  it('answers a token of another issuer or for another audience with 401', async () => {
    const claims = { uid: nextUserId(), roles: ['member'] };

    for (const token of [
      await providerToken(rsa, claims, { issuer: 'https://evil.example.test/' }),
      await providerToken(ec, claims, { audience: 'another-api' }),
    ]) {
      expectError(await call('GET', '/members/me', token), 401, 'UNAUTHENTICATED');
    }
  });

  it('answers a member token whose uid is not a platform user id with 401 TOKEN_USER_ID_INVALID', async () => {
    const token = await providerToken(rsa, { uid: 'alice', roles: ['member'] });

    expectError(await call('GET', '/members/me', token), 401, 'TOKEN_USER_ID_INVALID');
  });

  it('follows a key rotation: the new key is fetched on its first token, the removed key is refused', async () => {
    const userId = nextUserId();
    const register = await call(
      'POST',
      '/members',
      await providerToken(rsa, { uid: userId, roles: ['member'] }),
    );
    expect(register.status).toBe(201);
    const next = signingKey('rsa-2026-02', 'RS256');
    keySet.publish(next, ec);
    const fetchesBefore = keySet.fetches;

    const byNewKey = await call(
      'GET',
      '/members/me',
      await providerToken(next, { uid: userId, roles: ['member'] }),
    );
    const byRemovedKey = await call(
      'GET',
      '/members/me',
      await providerToken(rsa, { uid: userId, roles: ['member'] }),
    );

    expect({ status: byNewKey.status, id: byNewKey.body.id }).toEqual({
      status: 200,
      id: register.body.id,
    });
    expectError(byRemovedKey, 401, 'UNAUTHENTICATED');
    expect(keySet.fetches).toBeGreaterThan(fetchesBefore);
  });

  it('answers 503 when the JWKS cannot be fetched for an unknown kid, and keeps taking tokens of cached keys', async () => {
    const userId = nextUserId();
    await keySet.stop();
    const unknown = signingKey('rsa-2026-03', 'RS256');

    const byUnknownKey = await call(
      'GET',
      '/members/me',
      await providerToken(unknown, { uid: userId, roles: ['member'] }),
    );
    const byCachedKey = await call(
      'GET',
      '/levels',
      await providerToken(ec, { uid: userId, roles: ['member'] }),
    );

    const error = expectError(byUnknownKey, 503, 'SERVICE_UNAVAILABLE');
    expect(error.details).toMatchObject({ dependency: 'identity-provider' });
    expect(byCachedKey.status).toBe(200);
  });
});
