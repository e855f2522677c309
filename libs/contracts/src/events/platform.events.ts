import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsNumberString,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { IsPlatformId } from '../common/platform-id';
import { PHONE_PATTERN } from '../member/register-member.dto';
import { CURRENCIES, IsMoney } from './event-fields';
import type { Currency } from './event-fields';

// Published by other platform services on `platform.events`; the member system only consumes them.

/** By the user service: creates the member if absent. */
export class UserRegisteredV1 {
  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  nickname?: string;

  @IsOptional()
  @Matches(PHONE_PATTERN)
  phone?: string;

  @IsOptional()
  @IsEmail()
  email?: string;

  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  birthday?: string;
}

/** By the order service: the spend counts towards the level and earns points. */
export class OrderCompletedV1 {
  @IsPlatformId()
  orderId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsMoney()
  amount!: string;

  @IsIn(CURRENCIES)
  currency!: Currency;

  @IsISO8601()
  completedAt!: string;
}

/** Points used and holds on the order are restored. */
export class OrderCancelledV1 {
  @IsPlatformId()
  orderId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;
}

/** The points the order earned are frozen (7 days at most). */
export class OrderRefundRequestedV1 {
  @IsPlatformId()
  orderId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsPlatformId()
  refundId!: string;

  /** The amount asked back, which decides the share of points a later refund reverses. */
  @IsMoney()
  amount!: string;
}

/** Frozen points are reversed in proportion to `amount`; the spend is reduced by it. */
export class OrderRefundedV1 {
  @IsPlatformId()
  orderId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsPlatformId()
  refundId!: string;

  @IsMoney()
  amount!: string;
}

/** Frozen points are released. */
export class OrderRefundRejectedV1 {
  @IsPlatformId()
  orderId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsPlatformId()
  refundId!: string;
}

/** By the review service: earns review points (10, at most 5 reviews a day). */
export class ReviewApprovedV1 {
  @IsPlatformId()
  reviewId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsOptional()
  @IsPlatformId()
  orderId?: string;
}
