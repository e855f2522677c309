import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { AccessTokenVerifier, InvalidTokenError, algorithmOfPublicKey, pemPublicKeys } from './jwt';
import type { JwtSettings } from './jwt';

const SECRET = 'a-test-secret-of-reasonable-length';
const ISSUER = 'https://auth.example.test';
const AUDIENCE = 'member-system';

const hs256: JwtSettings = {
  algorithms: ['HS256'],
  secret: SECRET,
  publicKeys: [],
  issuer: ISSUER,
  audience: AUDIENCE,
  clockToleranceSeconds: 0,
  userIdClaim: 'sub',
};

const pemPair = (type: 'rsa' | 'ec') => {
  const { publicKey, privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
};
const rsa = pemPair('rsa');
const otherRsa = pemPair('rsa');
const ec = pemPair('ec');

const rs256: JwtSettings = { ...hs256, algorithms: ['RS256'], publicKeys: [rsa.publicKey] };
const asymmetric: JwtSettings = {
  ...hs256,
  algorithms: ['RS256', 'ES256'],
  publicKeys: [rsa.publicKey, ec.publicKey],
};

const memberClaims = { sub: '42', roles: ['member'] };
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

interface SignOptions {
  alg?: 'HS256' | 'RS256' | 'ES256';
  key?: KeyObject | string;
  issuer?: string | null;
  audience?: string;
  /** Seconds from now; null for no exp. */
  expiresIn?: number | null;
}

/** Signs with the test defaults (HS256, the secret, issuer and audience, five minutes). */
async function sign(claims: Record<string, unknown>, options: SignOptions = {}): Promise<string> {
  const { alg = 'HS256', key = SECRET, issuer = ISSUER, audience = AUDIENCE } = options;
  const expiresIn = options.expiresIn === undefined ? 300 : options.expiresIn;
  const jwt = new SignJWT(claims).setProtectedHeader({ alg }).setAudience(audience).setIssuedAt();
  if (issuer !== null) jwt.setIssuer(issuer);
  if (expiresIn !== null && claims['exp'] === undefined)
    jwt.setExpirationTime(nowSeconds() + expiresIn);
  return jwt.sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A token assembled by hand, for headers a careful library would refuse to sign. */
function handMade(alg: string, claims: Record<string, unknown>, hmacKey?: string): string {
  const body = `${base64url({ alg, typ: 'JWT' })}.${base64url({
    iss: ISSUER,
    aud: AUDIENCE,
    exp: nowSeconds() + 300,
    ...claims,
  })}`;
  const signature =
    hmacKey === undefined ? '' : createHmac('sha256', hmacKey).update(body).digest('base64url');
  return `${body}.${signature}`;
}

const verify = (token: string, settings: JwtSettings) =>
  new AccessTokenVerifier(settings).verify(token);

describe(AccessTokenVerifier.name, () => {
  it('reads the caller from a valid HS256 token', async () => {
    const token = await sign({
      sub: '42',
      roles: ['admin'],
      perms: ['members:read', 'points:adjust'],
    });

    await expect(verify(token, hs256)).resolves.toEqual({
      userId: '42',
      roles: ['admin'],
      perms: ['members:read', 'points:adjust'],
    });
  });

  it('gives no permissions when the token carries none', async () => {
    await expect(verify(await sign(memberClaims), hs256)).resolves.toEqual({
      userId: '42',
      roles: ['member'],
      perms: [],
    });
  });

  it('rejects an expired token, saying so', async () => {
    const token = await sign({ ...memberClaims, exp: nowSeconds() - 10 });

    await expect(verify(token, hs256)).rejects.toThrow(InvalidTokenError);
    await expect(verify(token, hs256)).rejects.toThrow(/exp/);
  });

  it('accepts a token expired within the clock tolerance', async () => {
    const token = await sign({ ...memberClaims, exp: nowSeconds() - 10 });

    await expect(verify(token, { ...hs256, clockToleranceSeconds: 30 })).resolves.toMatchObject({
      userId: '42',
    });
  });

  it('rejects a token not yet valid beyond the clock tolerance, and accepts it within', async () => {
    const token = await sign({ ...memberClaims, nbf: nowSeconds() + 10 });

    await expect(verify(token, hs256)).rejects.toThrow(InvalidTokenError);
    await expect(verify(token, { ...hs256, clockToleranceSeconds: 30 })).resolves.toMatchObject({
      userId: '42',
    });
  });

  it('rejects a token from another issuer, or without one', async () => {
    await expect(
      verify(await sign(memberClaims, { issuer: 'https://evil.test' }), hs256),
    ).rejects.toThrow(InvalidTokenError);
    await expect(verify(await sign(memberClaims, { issuer: null }), hs256)).rejects.toThrow(
      InvalidTokenError,
    );
  });

  it('rejects a token for another audience', async () => {
    await expect(
      verify(await sign(memberClaims, { audience: 'another-system' }), hs256),
    ).rejects.toThrow(InvalidTokenError);
  });

  it('rejects a token signed with another secret', async () => {
    const token = await sign(memberClaims, { key: 'another-secret-of-some-length' });

    await expect(verify(token, hs256)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects a token that is not a JWT', async () => {
    await expect(verify('not-a-token', hs256)).rejects.toThrow(InvalidTokenError);
    await expect(verify('', hs256)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects an unsigned token (alg none)', async () => {
    const token = handMade('none', memberClaims);

    await expect(verify(token, hs256)).rejects.toThrow(InvalidTokenError);
    await expect(verify(token, rs256)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects an HS256 token when only RS256 is accepted, even one keyed with the public key', async () => {
    await expect(verify(await sign(memberClaims), rs256)).rejects.toThrow(/HS256/);
    await expect(verify(handMade('HS256', memberClaims, rsa.publicKey), rs256)).rejects.toThrow(
      InvalidTokenError,
    );
  });

  it('rejects an RS256 token when only HS256 is accepted', async () => {
    const token = await sign(memberClaims, { alg: 'RS256', key: rsa.privateKey });

    await expect(verify(token, hs256)).rejects.toThrow(/RS256/);
  });

  it('reads the caller from RS256 and ES256 tokens of static public keys', async () => {
    const byRsa = await sign(memberClaims, { alg: 'RS256', key: rsa.privateKey });
    const byEc = await sign(memberClaims, { alg: 'ES256', key: ec.privateKey });

    await expect(verify(byRsa, asymmetric)).resolves.toMatchObject({ userId: '42' });
    await expect(verify(byEc, asymmetric)).resolves.toMatchObject({ userId: '42' });
  });

  it('rejects an RS256 token signed with another private key', async () => {
    const token = await sign(memberClaims, { alg: 'RS256', key: otherRsa.privateKey });

    await expect(verify(token, rs256)).rejects.toThrow(InvalidTokenError);
  });

  it('accepts tokens of the old and the new key while both are configured (key rotation)', async () => {
    const ring: JwtSettings = { ...rs256, publicKeys: [rsa.publicKey, otherRsa.publicKey] };

    for (const key of [rsa.privateKey, otherRsa.privateKey]) {
      await expect(
        verify(await sign(memberClaims, { alg: 'RS256', key }), ring),
      ).resolves.toMatchObject({
        userId: '42',
      });
    }
  });

  it('reports why the matching key refused a token, not that the other key did not fit', async () => {
    const ring: JwtSettings = { ...rs256, publicKeys: [rsa.publicKey, otherRsa.publicKey] };
    const expired = await sign(
      { ...memberClaims, exp: nowSeconds() - 60 },
      { alg: 'RS256', key: otherRsa.privateKey },
    );

    await expect(verify(expired, ring)).rejects.toThrow(/"exp" claim timestamp check failed/);
  });

  it('reads the user id from the configured claim', async () => {
    const token = await sign({ sub: 'auth0|5f7c', uid: '42', roles: ['member'] });

    await expect(verify(token, { ...hs256, userIdClaim: 'uid' })).resolves.toMatchObject({
      userId: '42',
    });
  });

  it('takes a verified token again without checking it, for a minute at most', async () => {
    let now = Date.now();
    const settings: JwtSettings = { ...hs256 };
    const sut = new AccessTokenVerifier(settings, () => now);
    const token = await sign(memberClaims, { expiresIn: 3600 });
    await expect(sut.verify(token)).resolves.toEqual({
      userId: '42',
      roles: ['member'],
      perms: [],
    });

    // Were the token checked again, HS256 being no longer accepted would refuse it.
    settings.algorithms = ['RS256'];
    await expect(sut.verify(token)).resolves.toMatchObject({ userId: '42' });
    now += 61_000;
    await expect(sut.verify(token)).rejects.toThrow(/HS256/);
  });

  it('stops taking a remembered token once it expires', async () => {
    let now = Date.now();
    const sut = new AccessTokenVerifier(hs256, () => now);
    const token = await sign(memberClaims, { expiresIn: 10 });
    await expect(sut.verify(token)).resolves.toMatchObject({ userId: '42' });
    now += 11_000;
    await expect(sut.verify(token)).rejects.toThrow(/exp/);
  });

  it('remembers no refused token', async () => {
    const sut = new AccessTokenVerifier(hs256);
    const forged = await sign(memberClaims, { key: 'not-the-secret-at-all-but-long-enough' });

    await expect(sut.verify(forged)).rejects.toThrow(InvalidTokenError);
    await expect(sut.verify(forged)).rejects.toThrow(InvalidTokenError);
  });
});

describe(algorithmOfPublicKey.name, () => {
  it('gives RS256 for RSA keys and ES256 for P-256 keys, and refuses other curves', () => {
    expect(
      algorithmOfPublicKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey),
    ).toBe('RS256');
    expect(algorithmOfPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).toBe(
      'ES256',
    );
    expect(() =>
      algorithmOfPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey),
    ).toThrow(/unsupported/);
  });
});

describe(pemPublicKeys.name, () => {
  it('finds each PEM public key in a variable holding several', () => {
    expect(pemPublicKeys(`${rsa.publicKey}\n${ec.publicKey}`)).toEqual([
      rsa.publicKey.trim(),
      ec.publicKey.trim(),
    ]);
    expect(pemPublicKeys('not a key')).toEqual([]);
  });
});
