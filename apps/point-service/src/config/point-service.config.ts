import { IsIn, IsInt, Matches, Min } from 'class-validator';
import { BaseServiceConfig, loadConfig } from '@member-system/shared/config';

export class PointServiceConfig extends BaseServiceConfig {
  override HTTP_PORT = 3002;
  override MYSQL_DATABASE = 'ms_point';
  override REDIS_PREFIX = 'ms:point:';
  /**
   * More connections than the other services (10): every spend, check-in and earn is a short
   * transaction of a few round trips, and with more of them open at once MariaDB commits them in
   * larger groups. At 64 connections, 24 served 20 % more check-ins than 10 on the 2-core bench
   * machine (docs/performance/README.md); 32 did no better than 24.
   */
  override MYSQL_POOL_SIZE = 24;

  /** Order points per yuan before the level multiplier (docs/api/contract.md: 1). */
  @IsInt()
  @Min(0)
  POINTS_PER_YUAN: number = 1;

  /** Each level's multiplier until benefit-service announces that level's POINTS_MULTIPLIER benefit. */
  @Matches(/^\s*\d+:\d+(\.\d+)?(\s*,\s*\d+:\d+(\.\d+)?)*\s*$/, {
    message: 'LEVEL_POINTS_MULTIPLIERS must read like 1:1.0,2:1.2',
  })
  LEVEL_POINTS_MULTIPLIERS: string = '1:1.0,2:1.2,3:1.5,4:1.8,5:2.0';

  @IsInt()
  @Min(0)
  REVIEW_POINTS: number = 10;

  /** Reviews that earn points per member per business day. */
  @IsInt()
  @Min(0)
  REVIEW_DAILY_CAP: number = 5;

  @IsInt()
  @Min(0)
  CHECK_IN_POINTS: number = 5;

  /** Points of every 7th consecutive check-in, instead of CHECK_IN_POINTS. */
  @IsInt()
  @Min(0)
  CHECK_IN_STREAK_POINTS: number = 20;

  /** Points expire this many years after earning, at the end of that business day. */
  @IsInt()
  @Min(1)
  POINTS_EXPIRY_YEARS: number = 2;

  /** Lead times of the expiring-soon reminders, in days. */
  @Matches(/^\s*\d+(\s*,\s*\d+)*\s*$/, { message: 'POINTS_EXPIRY_NOTICE_DAYS must read like 30,7' })
  POINTS_EXPIRY_NOTICE_DAYS: string = '30,7';

  /** A refund freeze is released after this many days without an outcome. */
  @IsInt()
  @Min(1)
  REFUND_FREEZE_DAYS: number = 7;

  /**
   * An admin's adjustment of at least this many points (either sign) is not applied but waits for
   * a second admin's approval (maker–checker). 0 turns approvals off: every adjustment applies.
   */
  @IsInt()
  @Min(0)
  ADJUSTMENT_APPROVAL_THRESHOLD: number = 10_000;

  /** Reversing points already spent: `debt` (later credits pay it first) or `clamp` (forgiven). */
  @IsIn(['debt', 'clamp'])
  REVERSAL_POLICY: 'debt' | 'clamp' = 'debt';

  /** What one point is worth in POINT_VALUE_CURRENCY, for the liability report: a decimal string. */
  @Matches(/^\d{1,9}(\.\d{1,6})?$/, { message: 'POINT_VALUE must be a decimal like 0.01' })
  POINT_VALUE: string = '0.01';

  /** The ISO 4217 code of POINT_VALUE. */
  @Matches(/^[A-Z]{3}$/, { message: 'POINT_VALUE_CURRENCY must be a currency code like CNY' })
  POINT_VALUE_CURRENCY: string = 'CNY';
}

export function loadPointServiceConfig(): PointServiceConfig {
  return loadConfig(PointServiceConfig);
}
