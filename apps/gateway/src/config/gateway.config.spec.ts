import { generateKeyPairSync } from 'node:crypto';
import { jwtSettingsOf, loadGatewayConfig } from './gateway.config';

const pem = (type: 'rsa' | 'ec'): string =>
  (type === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' })
  ).publicKey
    .export({ type: 'spki', format: 'pem' })
    .toString();
const rsaKey = pem('rsa');
const ecKey = pem('ec');
const JWKS = 'https://idp.example.com/.well-known/jwks.json';

describe(loadGatewayConfig.name, () => {
  const sut = loadGatewayConfig;

  it('accepts HS256 with the local defaults, the user id in sub', () => {
    expect(jwtSettingsOf(sut({}))).toMatchObject({
      algorithms: ['HS256'],
      publicKeys: [],
      userIdClaim: 'sub',
    });
  });

  it('accepts RS256 and ES256 from a JWKS next to static keys, and a namespaced user id claim', () => {
    const settings = jwtSettingsOf(
      sut({
        JWT_ALGORITHM: 'RS256,ES256',
        JWT_PUBLIC_KEY: `${rsaKey}\n${ecKey}`,
        JWT_JWKS_URL: JWKS,
        JWT_JWKS_COOLDOWN_SECONDS: '10',
        JWT_USER_ID_CLAIM: 'https://example.com/user_id',
      }),
    );

    expect(settings).toMatchObject({
      algorithms: ['RS256', 'ES256'],
      publicKeys: [rsaKey.trim(), ecKey.trim()],
      jwks: { url: JWKS, cacheMaxAgeMs: 600_000, cooldownMs: 10_000, timeoutMs: 5000 },
      userIdClaim: 'https://example.com/user_id',
    });
  });

  it.each([
    [{ JWT_ALGORITHM: 'RS512' }, /JWT_ALGORITHM/],
    [{ JWT_ALGORITHM: 'RS256' }, /lists RS256: set JWT_JWKS_URL or an RS256 key/],
    [{ JWT_ALGORITHM: 'RS256,ES256', JWT_PUBLIC_KEY: rsaKey }, /lists ES256/],
    [{ JWT_ALGORITHM: 'RS256', JWT_PUBLIC_KEY: 'not a key' }, /JWT_PUBLIC_KEY must hold/],
    [{ JWT_ALGORITHM: 'RS256', JWT_PUBLIC_KEY: ecKey }, /an ES256 key but JWT_ALGORITHM/],
    [{ JWT_JWKS_URL: JWKS }, /JWT_JWKS_URL needs RS256 or ES256/],
    [{ JWT_ALGORITHM: 'ES256', JWT_JWKS_URL: 'not a url' }, /JWT_JWKS_URL must be a URL/],
    [
      { NODE_ENV: 'production', JWT_ALGORITHM: 'ES256', JWT_JWKS_URL: 'http://idp.local/jwks' },
      /https URL/,
    ],
    [{ NODE_ENV: 'production' }, /JWT_SECRET must be set in production/],
    [{ JWT_USER_ID_CLAIM: 'roles' }, /JWT_USER_ID_CLAIM cannot be roles/],
  ])('refuses to start with %j', (env, message) => {
    expect(() => sut(env)).toThrow(message);
  });
});
