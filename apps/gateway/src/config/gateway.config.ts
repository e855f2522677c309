import { IsBoolean, IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { BaseServiceConfig, loadConfig, toBoolean } from '@member-system/shared/config';
import { pemPublicKeys } from '@member-system/shared/security';
import type { JwtSettings } from '@member-system/shared/security';

export const DEV_JWT_SECRET = 'member-system-dev-secret';

export class GatewayConfig extends BaseServiceConfig {
  override HTTP_PORT = 3000;
  override MYSQL_DATABASE = 'ms_gateway';
  override REDIS_PREFIX = 'ms:gw:';

  @IsIn(['HS256', 'RS256'])
  JWT_ALGORITHM: 'HS256' | 'RS256' = 'HS256';

  /** HS256 shared secret (development). */
  @IsString()
  @MinLength(16)
  JWT_SECRET: string = DEV_JWT_SECRET;

  /** RS256 public keys, PEM (production); several one after another while the issuer rotates. */
  @IsString()
  JWT_PUBLIC_KEY: string = '';

  @IsString()
  JWT_ISSUER: string = 'member-system-dev';

  @IsString()
  JWT_AUDIENCE: string = 'member-system';

  @IsInt()
  @Min(0)
  @Max(300)
  JWT_CLOCK_TOLERANCE_SECONDS: number = 30;

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

  /** How long a key counts as in flight at most (longer than the slowest request). */
  @IsInt()
  @Min(1000)
  IDEMPOTENCY_IN_FLIGHT_MS: number = 180_000;

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

export function loadGatewayConfig(): GatewayConfig {
  const config = loadConfig(GatewayConfig);
  if (config.JWT_ALGORITHM === 'RS256' && pemPublicKeys(config.JWT_PUBLIC_KEY).length === 0) {
    throw new Error(
      'Invalid configuration: JWT_PUBLIC_KEY must hold one or more PEM public keys when JWT_ALGORITHM=RS256',
    );
  }
  if (
    config.NODE_ENV === 'production' &&
    config.JWT_ALGORITHM === 'HS256' &&
    config.JWT_SECRET === DEV_JWT_SECRET
  ) {
    throw new Error('Invalid configuration: JWT_SECRET must be set in production');
  }
  return config;
}

export function jwtSettingsOf(config: GatewayConfig): JwtSettings {
  return {
    algorithm: config.JWT_ALGORITHM,
    keys:
      config.JWT_ALGORITHM === 'RS256' ? pemPublicKeys(config.JWT_PUBLIC_KEY) : [config.JWT_SECRET],
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    clockToleranceSeconds: config.JWT_CLOCK_TOLERANCE_SECONDS,
  };
}
