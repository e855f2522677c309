import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { Transform } from 'class-transformer';
import { IsAmqpUrlList } from './amqp-urls';

/**
 * Reads the raw variable: implicit conversion would turn the string "false" into true. A value
 * that is neither true-ish nor false-ish stays a string, so validation names the variable.
 */
export const toBoolean = ({
  value,
  key,
  obj,
}: {
  value: unknown;
  key: string;
  obj: Record<string, unknown>;
}): unknown => {
  const raw = obj[key];
  if (typeof raw !== 'string') return value;
  const normalised = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
  return raw;
};

/**
 * Settings every app shares. Apps extend it and override the defaults that differ (port, schema,
 * Redis prefix). Names are the environment variables Helm sets.
 */
export class BaseServiceConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT: number = 3000;

  @IsString()
  HTTP_HOST: string = '0.0.0.0';

  @IsString()
  MYSQL_HOST: string = '127.0.0.1';

  @IsInt()
  MYSQL_PORT: number = 3306;

  @IsString()
  MYSQL_USER: string = 'root';

  @IsString()
  MYSQL_PASSWORD: string = '';

  @IsString()
  @MinLength(1)
  MYSQL_DATABASE: string = 'member_system';

  @IsInt()
  @Min(1)
  MYSQL_POOL_SIZE: number = 10;

  /** A MariaDB replica of the primary for query handlers' reads; empty: every read goes to the primary. */
  @IsString()
  MYSQL_REPLICA_HOST: string = '';

  @IsInt()
  @Min(1)
  @Max(65535)
  MYSQL_REPLICA_PORT: number = 3306;

  /** Empty: the primary's MYSQL_USER. */
  @IsString()
  MYSQL_REPLICA_USER: string = '';

  /** Empty: the primary's MYSQL_PASSWORD. */
  @IsString()
  MYSQL_REPLICA_PASSWORD: string = '';

  @IsInt()
  @Min(1)
  MYSQL_REPLICA_POOL_SIZE: number = 10;

  /**
   * The most a read served by the replica may lag the primary: past it, reads go to the primary.
   * Also how long a read waits for the replica to catch up with the primary before it gives up.
   */
  @IsInt()
  @Min(0)
  @Max(60_000)
  MYSQL_REPLICA_MAX_LAG_MS: number = 1000;

  @IsString()
  REDIS_HOST: string = '127.0.0.1';

  @IsInt()
  REDIS_PORT: number = 6379;

  @IsString()
  REDIS_PASSWORD: string = '';

  @IsInt()
  @Min(0)
  REDIS_DB: number = 0;

  @IsString()
  REDIS_PREFIX: string = 'ms:';

  /**
   * Includes the vhost, e.g. amqp://guest:guest@127.0.0.1:5672/%2F. A cluster's nodes are listed
   * separated by commas; clients connect to the first that answers and move on when it goes.
   */
  @IsAmqpUrlList()
  RABBITMQ_URL: string = 'amqp://guest:guest@127.0.0.1:5672';

  /** Upper bound on any request to a service (from the gateway or another service); the message expires with it. */
  @IsInt()
  @Min(100)
  RPC_TIMEOUT_MS: number = 5000;

  @IsInt()
  @Min(1)
  RPC_PREFETCH: number = 32;

  @IsInt()
  @Min(1)
  EVENT_PREFETCH: number = 64;

  /** Most events handled in one transaction under load; 1 handles each in its own. */
  @IsInt()
  @Min(1)
  EVENT_BATCH_SIZE: number = 32;

  /** Attempts before a failing event is parked for an operator. */
  @IsInt()
  @Min(1)
  EVENT_MAX_ATTEMPTS: number = 5;

  /** Delays between attempts, comma-separated milliseconds; the last repeats. */
  @Matches(/^\s*\d+\s*(,\s*\d+\s*)*$/, {
    message: 'EVENT_RETRY_DELAYS_MS must be comma-separated milliseconds',
  })
  EVENT_RETRY_DELAYS_MS: string = '1000,5000,30000,120000';

  @IsInt()
  @Min(10)
  OUTBOX_POLL_MS: number = 100;

  @IsInt()
  @Min(1)
  OUTBOX_BATCH_SIZE: number = 200;

  @IsBoolean()
  @Transform(toBoolean)
  OUTBOX_RELAY_ENABLED: boolean = true;

  /** Business days (check-in, birthdays, expiry dates) are days in this zone. */
  @IsTimeZone()
  BUSINESS_TIME_ZONE: string = 'Asia/Shanghai';

  /** Lets an admin run a job "as of" another time. For development and tests only. */
  @IsBoolean()
  @Transform(toBoolean)
  ALLOW_CLOCK_OVERRIDE: boolean = false;

  /** Scheduled jobs on this replica (admins can still run them on demand when off). */
  @IsBoolean()
  @Transform(toBoolean)
  JOBS_ENABLED: boolean = true;

  @IsInt()
  @Min(1000)
  JOB_TICK_MS: number = 30000;

  /**
   * How long a replica holds an admin job (GET /admin/jobs/{jobId}) without renewing it: a job
   * whose replica died is resumed this long after its last renewal.
   */
  @IsInt()
  @Min(300)
  ADMIN_JOB_LEASE_MS: number = 30000;
}

export function parseDelays(value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  const delays = parts.map(Number);
  if (
    parts.some((part) => !/^\d+$/.test(part)) ||
    delays.some((delay) => !Number.isSafeInteger(delay))
  ) {
    throw new Error(`EVENT_RETRY_DELAYS_MS must be comma-separated milliseconds, got "${value}"`);
  }
  return delays;
}
