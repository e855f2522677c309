import { createPublicKey } from 'node:crypto';
import { IsBoolean, IsInt, IsString, Length, Matches, Max, Min, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { BaseServiceConfig, loadConfig, toBoolean } from '@member-system/shared/config';
import {
  RESERVED_CLAIMS,
  algorithmOfPublicKey,
  pemPublicKeys,
} from '@member-system/shared/security';
import type { JwtAlgorithm, JwtSettings } from '@member-system/shared/security';

export const DEV_JWT_SECRET = 'member-system-dev-secret';

export class GatewayConfig extends BaseServiceConfig {
  override HTTP_PORT = 3000;
  override MYSQL_DATABASE = 'ms_gateway';
  override REDIS_PREFIX = 'ms:gw:';

  /**
   * The signing algorithms accepted, comma-separated: HS256 (JWT_SECRET), RS256 and ES256 (the
   * static JWT_PUBLIC_KEY keys and the identity provider's JWT_JWKS_URL).
   */
  @IsString()
  @Matches(/^(HS256|RS256|ES256)(,(HS256|RS256|ES256))*$/, {
    message: 'JWT_ALGORITHM must list HS256, RS256 or ES256, comma-separated',
  })
  JWT_ALGORITHM: string = 'HS256';

  /** HS256 shared secret (development). */
  @IsString()
  @MinLength(16)
  JWT_SECRET: string = DEV_JWT_SECRET;

  /** Static RS256 and ES256 public keys, PEM; several one after another while the issuer rotates. */
  @IsString()
  JWT_PUBLIC_KEY: string = '';

  /** The identity provider's JWKS URL (RS256 and ES256 keys picked by `kid`); empty: none. */
  @IsString()
  JWT_JWKS_URL: string = '';

  /** A fetched JWKS is used this long before it is fetched again. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  JWT_JWKS_CACHE_SECONDS: number = 600;

  /** A token with an unknown `kid` fetches the JWKS again at most this often (key rotation). */
  @IsInt()
  @Min(0)
  @Max(3600)
  JWT_JWKS_COOLDOWN_SECONDS: number = 30;

  /** A JWKS fetch still unanswered after this fails (its tokens get 503 unless a cached key fits). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  JWT_JWKS_TIMEOUT_MS: number = 5000;

  @IsString()
  JWT_ISSUER: string = 'member-system-dev';

  @IsString()
  JWT_AUDIENCE: string = 'member-system';

  @IsInt()
  @Min(0)
  @Max(300)
  JWT_CLOCK_TOLERANCE_SECONDS: number = 30;

  /** The claim carrying the platform user id: `sub`, `uid`, a namespaced `https://…/user_id`. */
  @IsString()
  @Length(1, 256)
  JWT_USER_ID_CLAIM: string = 'sub';

  /** Largest accepted request body; bigger ones get 413. */
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES: number = 64 * 1024;

  @IsBoolean()
  @Transform(toBoolean)
  TRUST_PROXY: boolean = false;

  /** Browser origins allowed to call the API, comma-separated (exact match); empty: none. */
  @IsString()
  CORS_ORIGINS: string = '';

  /** A request still unanswered after this is cut off (longer than the slowest admin call). */
  @IsInt()
  @Min(1000)
  REQUEST_TIMEOUT_MS: number = 150_000;

  /** How long an Idempotency-Key keeps its first answer. */
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  IDEMPOTENCY_RETENTION_HOURS: number = 24;

  /**
   * How long a key counts as in flight at most: longer than the slowest request (earn-batch, 30 s
   * after up to 5 s for the identity provider's keys), short enough that a retry after a gateway
   * died mid-request is not refused for long.
   */
  @IsInt()
  @Min(1000)
  IDEMPOTENCY_IN_FLIGHT_MS: number = 60_000;

  /** Read-only mode a service's unwritable database switched on ends this long after its last report. */
  @IsInt()
  @Min(1)
  @Max(3600)
  AUTO_READ_ONLY_SECONDS: number = 60;

  /** Rate limits: fixed windows in Redis, shared by all gateway instances; over one, 429. */
  @IsBoolean()
  @Transform(toBoolean)
  RATE_LIMIT_ENABLED: boolean = true;

  @IsInt()
  @Min(1)
  @Max(3600)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** Requests per window from one client IP, every non-public request counted (401s included). */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_IP: number = 3000;

  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MEMBER: number = 600;

  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_ADMIN: number = 600;

  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_SERVICE: number = 6000;

  /** Check-ins per window and member, on top of the member's own limit. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_CHECK_IN_PER_MEMBER: number = 10;

  /** Spends and holds per window and member, on top of the member's own limit. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_SPEND_PER_MEMBER: number = 60;
}

export function loadGatewayConfig(
  env: Record<string, string | undefined> = process.env,
): GatewayConfig {
  const config = loadConfig(GatewayConfig, env);
  checkTokenSettings(config);
  return config;
}

/** The token settings that only make sense together; a bad combination stops the boot. */
function checkTokenSettings(config: GatewayConfig): void {
  const fail = (message: string): never => {
    throw new Error(`Invalid configuration: ${message}`);
  };
  const algorithms = jwtAlgorithmsOf(config);
  const asymmetric = algorithms.filter((algorithm) => algorithm !== 'HS256');
  const pems = pemPublicKeys(config.JWT_PUBLIC_KEY);
  if (config.JWT_PUBLIC_KEY.trim() !== '' && pems.length === 0) {
    fail('JWT_PUBLIC_KEY must hold one or more PEM public keys');
  }
  const keyAlgorithms = pems.map((pem) => {
    try {
      return algorithmOfPublicKey(createPublicKey(pem));
    } catch (error) {
      return fail(`JWT_PUBLIC_KEY holds a key that cannot be used: ${(error as Error).message}`);
    }
  });
  for (const algorithm of keyAlgorithms) {
    if (!algorithms.includes(algorithm)) {
      fail(`JWT_PUBLIC_KEY holds an ${algorithm} key but JWT_ALGORITHM does not list ${algorithm}`);
    }
  }
  if (config.JWT_JWKS_URL !== '') {
    let url: URL | undefined;
    try {
      url = new URL(config.JWT_JWKS_URL);
    } catch {
      fail('JWT_JWKS_URL must be a URL');
    }
    if (
      url?.protocol !== 'https:' &&
      !(url?.protocol === 'http:' && config.NODE_ENV !== 'production')
    ) {
      fail('JWT_JWKS_URL must be an https URL (http only outside production)');
    }
    if (asymmetric.length === 0) fail('JWT_JWKS_URL needs RS256 or ES256 in JWT_ALGORITHM');
  }
  for (const algorithm of asymmetric) {
    if (config.JWT_JWKS_URL === '' && !keyAlgorithms.includes(algorithm)) {
      fail(
        `JWT_ALGORITHM lists ${algorithm}: set JWT_JWKS_URL or an ${algorithm} key in JWT_PUBLIC_KEY`,
      );
    }
  }
  if (
    config.NODE_ENV === 'production' &&
    algorithms.includes('HS256') &&
    config.JWT_SECRET === DEV_JWT_SECRET
  ) {
    fail('JWT_SECRET must be set in production');
  }
  if (RESERVED_CLAIMS.includes(config.JWT_USER_ID_CLAIM)) {
    fail(
      `JWT_USER_ID_CLAIM cannot be ${config.JWT_USER_ID_CLAIM}: the gateway reads that claim for itself`,
    );
  }
}

function jwtAlgorithmsOf(config: GatewayConfig): JwtAlgorithm[] {
  return [...new Set(config.JWT_ALGORITHM.split(','))] as JwtAlgorithm[];
}

export function jwtSettingsOf(config: GatewayConfig): JwtSettings {
  return {
    algorithms: jwtAlgorithmsOf(config),
    secret: config.JWT_SECRET,
    publicKeys: pemPublicKeys(config.JWT_PUBLIC_KEY),
    ...(config.JWT_JWKS_URL === ''
      ? {}
      : {
          jwks: {
            url: config.JWT_JWKS_URL,
            cacheMaxAgeMs: config.JWT_JWKS_CACHE_SECONDS * 1000,
            cooldownMs: config.JWT_JWKS_COOLDOWN_SECONDS * 1000,
            timeoutMs: config.JWT_JWKS_TIMEOUT_MS,
          },
        }),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
    userIdClaim: config.JWT_USER_ID_CLAIM,
  };
}
