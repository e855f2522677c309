// The verifier against a real JWKS endpoint on 127.0.0.1: caching, rotation, a provider down.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { KeySetServer, signingKey } from '@member-system/shared/testing';
import type { SigningKey } from '@member-system/shared/testing';
import { AccessTokenVerifier, InvalidTokenError, KeySetUnavailableError } from './jwt';
import type { JwtSettings } from './jwt';

const token = (key: SigningKey): Promise<string> =>
  new SignJWT({ sub: '42', roles: ['member'] })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setIssuer('https://idp.test/')
    .setAudience('member-system')
    .setJti(randomUUID())
    .setExpirationTime('5m')
    .sign(key.privateKey);

describe('AccessTokenVerifier with a JWKS', () => {
  const keySet = new KeySetServer();
  const rsa = signingKey('rsa-1', 'RS256');
  const ec = signingKey('ec-1', 'ES256');

  afterEach(async () => {
    await keySet.stop();
    keySet.fetches = 0;
  });

  async function verifierFor(jwks: Partial<NonNullable<JwtSettings['jwks']>> = {}) {
    const url = await keySet.start();
    return new AccessTokenVerifier({
      algorithms: ['RS256', 'ES256'],
      secret: 'an-unused-secret-of-some-length',
      publicKeys: [],
      jwks: { url, cacheMaxAgeMs: 600_000, cooldownMs: 0, timeoutMs: 2000, ...jwks },
      issuer: 'https://idp.test/',
      audience: 'member-system',
      clockToleranceSeconds: 0,
      userIdClaim: 'sub',
    });
  }

  it('verifies RS256 and ES256 tokens by kid with one fetch of the set', async () => {
    keySet.publish(rsa, ec);
    const sut = await verifierFor();

    await expect(sut.verify(await token(rsa))).resolves.toMatchObject({ userId: '42' });
    await expect(sut.verify(await token(ec))).resolves.toMatchObject({ userId: '42' });
    expect(keySet.fetches).toBe(1);
  });

  it('fetches the set again for an unknown kid, and refuses a removed key with InvalidTokenError', async () => {
    keySet.publish(rsa);
    const sut = await verifierFor();
    await expect(sut.verify(await token(rsa))).resolves.toMatchObject({ userId: '42' });
    const rotated = signingKey('rsa-2', 'RS256');
    keySet.publish(rotated);

    await expect(sut.verify(await token(rotated))).resolves.toMatchObject({ userId: '42' });
    await expect(sut.verify(await token(rsa))).rejects.toThrow(InvalidTokenError);
    expect(keySet.fetches).toBe(3);
  });

  it('keeps verifying with the keys fetched last when the provider is down and the set is stale', async () => {
    keySet.publish(rsa);
    // A set that is never fresh: every token fetches it again.
    const sut = await verifierFor({ cacheMaxAgeMs: 0 });
    await expect(sut.verify(await token(rsa))).resolves.toMatchObject({ userId: '42' });
    await keySet.stop();

    await expect(sut.verify(await token(rsa))).resolves.toMatchObject({ userId: '42' });
    await expect(sut.verify(await token(signingKey('rsa-2', 'RS256')))).rejects.toThrow(
      KeySetUnavailableError,
    );
  });

  it.each([
    ['answers 500', { status: 500, body: 'oops' }],
    ['answers no JSON', { status: 200, body: '<html>' }],
    ['answers no key set', { status: 200, body: '{"keys":"none"}' }],
  ])('refuses with KeySetUnavailableError when the provider %s', async (_name, answer) => {
    keySet.answer = answer;
    const sut = await verifierFor();

    await expect(sut.verify(await token(rsa))).rejects.toThrow(KeySetUnavailableError);
  });
});
