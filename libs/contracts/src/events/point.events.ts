import {
  IsIn,
  IsISO8601,
  IsInt,
  IsNumberString,
  IsOptional,
  IsString,
  Length,
  Min,
} from 'class-validator';
import { IsPlatformId } from '../common/platform-id';

// Published by point-service on `member-system.events`. Points are integers; `balanceAfter` is
// the member's available balance once the change is applied.

/** Where earned points come from; `sourceId` is unique per source (one earn per order, …). */
export const POINT_EARN_SOURCES = [
  'order',
  'review',
  'check-in',
  'birthday',
  'campaign',
  'adjustment',
  'batch',
] as const;
export type PointEarnSource = (typeof POINT_EARN_SOURCES)[number];

/** What points are spent on: an order (directly or by capturing a hold) or an admin deduction. */
export const POINT_USE_SOURCES = ['order', 'adjustment'] as const;
export type PointUseSource = (typeof POINT_USE_SOURCES)[number];

export class PointsEarnedV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsInt()
  @Min(1)
  points!: number;

  @IsIn(POINT_EARN_SOURCES)
  source!: PointEarnSource;

  /** Order id, review id, check-in date, birthday year, participation id, adjustment or batch id. */
  @IsString()
  @Length(1, 128)
  sourceId!: string;

  @IsNumberString({ no_symbols: true })
  transactionId!: string;

  @IsISO8601()
  expiresAt!: string;

  @IsInt()
  @Min(0)
  balanceAfter!: number;
}

export class PointsUsedV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsInt()
  @Min(1)
  points!: number;

  @IsIn(POINT_USE_SOURCES)
  source!: PointUseSource;

  /** The order id, or the adjustment id. */
  @IsString()
  @Length(1, 128)
  sourceId!: string;

  /** Set when the spend captured a checkout hold. */
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  holdId?: string;

  @IsNumberString({ no_symbols: true })
  transactionId!: string;

  @IsInt()
  @Min(0)
  balanceAfter!: number;
}

/** A spend given back because its order was cancelled: the same lots, with their own expiry. */
export class PointsRestoredV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsInt()
  @Min(1)
  points!: number;

  /** The cancelled order. */
  @IsPlatformId()
  orderId!: string;

  @IsNumberString({ no_symbols: true })
  transactionId!: string;

  @IsInt()
  @Min(0)
  balanceAfter!: number;
}

/** Points made unspendable: the earn of a refunded order (refund requested) or by an admin. */
export class PointsFrozenV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsNumberString({ no_symbols: true })
  freezeId!: string;

  @IsInt()
  @Min(1)
  points!: number;

  /** `refund-requested`, or the admin's reason. */
  @IsString()
  @Length(1, 500)
  reason!: string;

  @IsOptional()
  @IsPlatformId()
  orderId?: string;

  @IsOptional()
  @IsPlatformId()
  refundId?: string;

  /** When the freeze is released if nothing else happens (refund freezes: 7 days). */
  @IsOptional()
  @IsISO8601()
  frozenUntil?: string;

  @IsInt()
  @Min(0)
  balanceAfter!: number;
}

/** A freeze released: refund rejected, freeze period over, or by an admin. */
export class PointsUnfrozenV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsNumberString({ no_symbols: true })
  freezeId!: string;

  @IsInt()
  @Min(1)
  points!: number;

  /** `refund-rejected`, `freeze-expired`, or the admin's reason. */
  @IsString()
  @Length(1, 500)
  reason!: string;

  @IsOptional()
  @IsPlatformId()
  orderId?: string;

  @IsOptional()
  @IsPlatformId()
  refundId?: string;

  @IsInt()
  @Min(0)
  balanceAfter!: number;
}

/**
 * Points taken back for a refund, in proportion to the refunded amount. What was already spent
 * becomes debt that later credits pay first.
 */
export class PointsReversedV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsPlatformId()
  orderId!: string;

  @IsPlatformId()
  refundId!: string;

  @IsInt()
  @Min(1)
  points!: number;

  @IsNumberString({ no_symbols: true })
  transactionId!: string;

  @IsInt()
  @Min(0)
  balanceAfter!: number;

  @IsInt()
  @Min(0)
  debtAfter!: number;
}

export class PointsExpiredV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsInt()
  @Min(1)
  points!: number;

  @IsNumberString({ no_symbols: true })
  transactionId!: string;

  /** The expiry time of the lots that lapsed. */
  @IsISO8601()
  expiredAt!: string;

  @IsInt()
  @Min(0)
  balanceAfter!: number;
}

/** A reminder at a configured lead time; `memberId` + `expiresAt` + `leadDays` is its key. */
export class PointsExpiringSoonV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  /** Points that lapse at or before `expiresAt` unless spent. */
  @IsInt()
  @Min(1)
  points!: number;

  @IsISO8601()
  expiresAt!: string;

  @IsInt()
  @Min(1)
  leadDays!: number;
}
