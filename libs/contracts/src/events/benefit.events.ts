import { IsInt, IsNumberString, Min } from 'class-validator';
import { IsMoney } from './event-fields';

// Published by benefit-service on `member-system.events`.

/** A benefit applied at checkout (`POST /benefits/use`); one usage per order and benefit. */
export class BenefitUsedV1 {
  @IsNumberString({ no_symbols: true })
  usageId!: string;

  @IsNumberString({ no_symbols: true })
  benefitId!: string;

  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsNumberString({ no_symbols: true })
  orderId!: string;

  /** The member's level when the benefit was used. */
  @IsInt()
  @Min(1)
  levelId!: number;

  @IsMoney()
  orderAmount!: string;

  /** What the benefit took off the order; "0.00" for benefits that are not a discount. */
  @IsMoney()
  discountAmount!: string;
}

/**
 * A member's birthday gift for the year, from the BIRTHDAY_GIFT benefit of their level;
 * point-service credits `points` once per member and year.
 */
export class BenefitBirthdayGiftGrantedV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsNumberString({ no_symbols: true })
  benefitId!: string;

  @IsInt()
  @Min(1)
  levelId!: number;

  @IsInt()
  @Min(1970)
  year!: number;

  @IsInt()
  @Min(1)
  points!: number;
}
