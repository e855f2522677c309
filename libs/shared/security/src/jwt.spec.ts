import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { SignOptions } from 'jsonwebtoken';
import type { JwtSettings } from './jwt';
import { AccessTokenVerifier, InvalidTokenError, pemPublicKeys, verifyAccessToken } from './jwt';

const SECRET = 'a-test-secret-of-reasonable-length';
const ISSUER = 'https://auth.example.test';
const AUDIENCE = 'member-system';

const hs256: JwtSettings = {
  algorithm: 'HS256',
  keys: [SECRET],
  issuer: ISSUER,
  audience: AUDIENCE,
  clockToleranceSeconds: 0,
};

const rsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const otherRsa = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const rs256: JwtSettings = { ...hs256, algorithm: 'RS256', keys: [rsa.publicKey] };

const memberClaims = { sub: '42', roles: ['member'] };
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Signs with the test defaults; an option set to undefined is left out of the token. */
function sign(
  claims: Record<string, unknown>,
  options: SignOptions = {},
  key: string = SECRET,
): string {
  const merged: SignOptions = {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: 300,
    ...options,
  };
  const defined = Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined),
  ) as SignOptions;
  return jwt.sign(claims, key, defined);
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

describe(verifyAccessToken.name, () => {
  const sut = verifyAccessToken;

  it('reads the caller from a valid HS256 token', () => {
    const token = sign({ sub: '42', roles: ['admin'], perms: ['members:read', 'points:adjust'] });

    expect(sut(token, hs256)).toEqual({
      userId: '42',
      roles: ['admin'],
      perms: ['members:read', 'points:adjust'],
    });
  });

  it('gives no permissions when the token carries none', () => {
    expect(sut(sign(memberClaims), hs256)).toEqual({ userId: '42', roles: ['member'], perms: [] });
  });

  it('accepts a user id of 19 digits', () => {
    expect(sut(sign({ ...memberClaims, sub: '9223372036854775807' }), hs256).userId).toBe(
      '9223372036854775807',
    );
  });

  it('rejects an expired token', () => {
    const token = sign({ ...memberClaims, exp: nowSeconds() - 10 }, { expiresIn: undefined });

    expect(() => sut(token, hs256)).toThrow(InvalidTokenError);
    expect(() => sut(token, hs256)).toThrow(/expired/);
  });

  it('accepts a token expired within the clock tolerance', () => {
    const token = sign({ ...memberClaims, exp: nowSeconds() - 10 }, { expiresIn: undefined });

    expect(sut(token, { ...hs256, clockToleranceSeconds: 30 }).userId).toBe('42');
  });

  it('rejects a token not yet valid beyond the clock tolerance, and accepts it within', () => {
    const token = sign({ ...memberClaims, nbf: nowSeconds() + 10 });

    expect(() => sut(token, hs256)).toThrow(InvalidTokenError);
    expect(sut(token, { ...hs256, clockToleranceSeconds: 30 }).userId).toBe('42');
  });

  it('rejects a token from another issuer', () => {
    expect(() => sut(sign(memberClaims, { issuer: 'https://evil.test' }), hs256)).toThrow(
      InvalidTokenError,
    );
  });

  it('rejects a token without an issuer', () => {
    expect(() => sut(sign(memberClaims, { issuer: undefined }), hs256)).toThrow(InvalidTokenError);
  });

  it('rejects a token for another audience', () => {
    expect(() => sut(sign(memberClaims, { audience: 'another-system' }), hs256)).toThrow(
      InvalidTokenError,
    );
  });

  it('rejects a token signed with another secret', () => {
    expect(() => sut(sign(memberClaims, {}, 'another-secret'), hs256)).toThrow(InvalidTokenError);
  });

  it('rejects a token that is not a JWT', () => {
    expect(() => sut('not-a-token', hs256)).toThrow(InvalidTokenError);
    expect(() => sut('', hs256)).toThrow(InvalidTokenError);
  });

  it('rejects an unsigned token (alg none)', () => {
    const token = handMade('none', memberClaims);

    expect(() => sut(token, hs256)).toThrow(InvalidTokenError);
    expect(() => sut(token, rs256)).toThrow(InvalidTokenError);
  });

  it('reads the caller from a valid RS256 token', () => {
    const token = sign(memberClaims, { algorithm: 'RS256' }, rsa.privateKey);

    expect(sut(token, rs256)).toEqual({ userId: '42', roles: ['member'], perms: [] });
  });

  it('rejects an RS256 token signed with another private key', () => {
    const token = sign(memberClaims, { algorithm: 'RS256' }, otherRsa.privateKey);

    expect(() => sut(token, rs256)).toThrow(InvalidTokenError);
  });

  it('accepts tokens of the old and the new key while both are configured (key rotation)', () => {
    const ring: JwtSettings = { ...rs256, keys: [rsa.publicKey, otherRsa.publicKey] };

    expect(sut(sign(memberClaims, { algorithm: 'RS256' }, rsa.privateKey), ring).userId).toBe('42');
    expect(sut(sign(memberClaims, { algorithm: 'RS256' }, otherRsa.privateKey), ring).userId).toBe(
      '42',
    );
  });

  it('reports why the matching key refused a token, not that the other key did not fit', () => {
    const ring: JwtSettings = { ...rs256, keys: [rsa.publicKey, otherRsa.publicKey] };
    const expired = sign(
      { ...memberClaims, exp: nowSeconds() - 60 },
      { algorithm: 'RS256', expiresIn: undefined },
      otherRsa.privateKey,
    );

    expect(() => sut(expired, ring)).toThrow('jwt expired');
  });

  it('finds each PEM public key in a variable holding several', () => {
    expect(pemPublicKeys(`${rsa.publicKey}\n${otherRsa.publicKey}`)).toEqual([
      rsa.publicKey.trim(),
      otherRsa.publicKey.trim(),
    ]);
    expect(pemPublicKeys('not a key')).toEqual([]);
  });

  it('rejects an HS256 token when RS256 is configured, even one keyed with the public key', () => {
    expect(() => sut(sign(memberClaims), rs256)).toThrow(InvalidTokenError);
    expect(() => sut(handMade('HS256', memberClaims, rsa.publicKey), rs256)).toThrow(
      InvalidTokenError,
    );
  });

  it('rejects an RS256 token when HS256 is configured', () => {
    const token = sign(memberClaims, { algorithm: 'RS256' }, rsa.privateKey);

    expect(() => sut(token, hs256)).toThrow(InvalidTokenError);
  });

  it.each([
    ['a word', 'abc'],
    ['zero', '0'],
    ['a leading zero', '042'],
    ['a negative id', '-42'],
    ['20 digits', '12345678901234567890'],
    ['a number', 42],
    ['nothing', undefined],
  ])('rejects a sub that is %s', (_name, sub) => {
    const token = sign({ roles: ['member'], ...(sub === undefined ? {} : { sub }) });

    expect(() => sut(token, hs256)).toThrow(InvalidTokenError);
    expect(() => sut(token, hs256)).toThrow(/sub/);
  });

  it.each([
    ['an unknown role', ['member', 'superuser']],
    ['no role', []],
    ['a string instead of a list', 'admin'],
    ['nothing', undefined],
  ])('rejects roles holding %s', (_name, roles) => {
    const token = sign({ sub: '42', ...(roles === undefined ? {} : { roles }) });

    expect(() => sut(token, hs256)).toThrow(/roles/);
  });

  it.each([
    ['an unknown permission', ['members:read', 'members:delete']],
    ['a string instead of a list', 'members:read'],
    ['null', null],
  ])('rejects perms holding %s', (_name, perms) => {
    const token = sign({ sub: '42', roles: ['admin'], perms });

    expect(() => sut(token, hs256)).toThrow(/perms/);
  });
});

describe(AccessTokenVerifier.name, () => {
  /** A clock the test moves by hand, starting now. */
  function clock() {
    let now = Date.now();
    return { now: () => now, advance: (ms: number) => (now += ms) };
  }

  it('takes a verified token again without checking it, for a minute at most', () => {
    const time = clock();
    const settings = { ...hs256, keys: [SECRET] };
    const verifier = new AccessTokenVerifier(settings, time.now);
    const token = sign(memberClaims, { expiresIn: 3600 });
    expect(verifier.verify(token)).toEqual({ userId: '42', roles: ['member'], perms: [] });

    // Were the token checked again, the wrong key would refuse it.
    settings.keys = ['another-secret-entirely-of-some-length'];
    expect(verifier.verify(token).userId).toBe('42');
    time.advance(61_000);
    expect(() => verifier.verify(token)).toThrow(InvalidTokenError);
  });

  it('stops taking a remembered token once it expires', () => {
    const time = clock();
    const settings = { ...hs256, keys: [SECRET] };
    const verifier = new AccessTokenVerifier(settings, time.now);
    const token = sign(memberClaims, { expiresIn: 10 });
    expect(verifier.verify(token).userId).toBe('42');
    settings.keys = ['another-secret-entirely-of-some-length'];
    time.advance(11_000);
    expect(() => verifier.verify(token)).toThrow(InvalidTokenError);
  });

  it('remembers no refused token', () => {
    const verifier = new AccessTokenVerifier(hs256);
    const forged = sign(memberClaims, {}, 'not-the-secret-at-all-but-long-enough');
    expect(() => verifier.verify(forged)).toThrow(InvalidTokenError);
    expect(() => verifier.verify(forged)).toThrow(InvalidTokenError);
  });
});
