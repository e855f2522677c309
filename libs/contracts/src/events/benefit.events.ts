import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsISO8601,
  IsNumberString,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsPlatformId } from '../common/platform-id';
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

  @IsPlatformId()
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

/** One benefit of a level, as `benefit.level-benefits-changed.v1` lists it. */
export class LevelBenefitV1 {
  @IsNumberString({ no_symbols: true })
  benefitId!: string;

  @IsString()
  @Length(1, 32)
  type!: string;

  @IsObject()
  params!: Record<string, unknown>;

  @IsOptional()
  @IsISO8601()
  validFrom?: string;

  @IsOptional()
  @IsISO8601()
  validUntil?: string;
}

/**
 * The switched-on benefits a level has now, after an admin changed one of them (and once for
 * every seeded level). `version` rises with each change of the level: keep the newest.
 */
export class BenefitLevelBenefitsChangedV1 {
  @IsInt()
  @Min(1)
  levelId!: number;

  @IsInt()
  @Min(1)
  version!: number;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => LevelBenefitV1)
  benefits!: LevelBenefitV1[];
}
