import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumberString,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';
import { PageQueryDto } from '../common/page';
import { IsMoney } from '../events/event-fields';
import { IsPlatformId, PLATFORM_ID_API } from '../common/platform-id';

/**
 * The six built-in types of the seed. Each type is a plugin in benefit-service, which can register
 * more: the service, not this list, decides which types exist (an unknown one is a 400).
 */
export const BENEFIT_TYPES = [
  'DISCOUNT',
  'FREE_SHIPPING',
  'POINTS_MULTIPLIER',
  'BIRTHDAY_GIFT',
  'PRIORITY_SERVICE',
  'EXCLUSIVE_EVENT',
] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];

/** Why a member cannot use a benefit now (`GET /benefits/me/{benefitId}/eligibility`). */
export const INELIGIBILITY_REASONS = [
  'LEVEL_TOO_LOW',
  'OTHER_LEVEL',
  'QUOTA_USED_UP',
  'MIN_AMOUNT_NOT_MET',
  'OUTSIDE_WINDOW',
  'DISABLED',
] as const;
export type IneligibilityReason = (typeof INELIGIBILITY_REASONS)[number];

/**
 * `POST /admin/benefits` and `PUT /admin/benefits/{benefitId}`. `params` depend on the type (each
 * plugin validates its own): DISCOUNT `{rate: "0.95", minOrderAmount?}`, FREE_SHIPPING
 * `{monthlyQuota: 2 | null (unlimited), minOrderAmount?}`, POINTS_MULTIPLIER `{multiplier: "1.5"}`,
 * BIRTHDAY_GIFT `{points: 300}`, PRIORITY_SERVICE `{}`, EXCLUSIVE_EVENT `{}`.
 */
export class SaveBenefitDto {
  @ApiProperty({
    example: 'DISCOUNT',
    description: `A registered type: ${BENEFIT_TYPES.join(', ')}`,
  })
  @Matches(/^[A-Z][A-Z0-9_]{1,31}$/, { message: 'type must be an upper-case type like DISCOUNT' })
  type!: string;

  @ApiProperty({ example: 3, description: 'The level whose members have it' })
  @IsInt()
  @Min(1)
  @Max(1000)
  levelId!: number;

  @ApiProperty({ example: 'Gold 5% off' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: '5% off every order' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;

  @ApiProperty({ example: { rate: '0.95' }, description: 'Typed by `type` (see the schema above)' })
  @IsObject()
  params!: Record<string, unknown>;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Usable from (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Usable until (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  validUntil?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class BenefitView {
  @ApiProperty({ example: '12' })
  id!: string;

  @ApiProperty({ example: 'DISCOUNT' })
  type!: string;

  @ApiProperty({ example: 3 })
  levelId!: number;

  @ApiProperty({ example: 'Gold: 5% off' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Every order at 0.95 of its price' })
  description!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { rate: '0.95' } })
  params!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, example: null })
  validFrom!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  validUntil!: string | null;

  @ApiProperty({ example: true })
  enabled!: boolean;

  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' })
  updatedAt!: string;
}

/** One page of benefits, in their list's order. */
export class BenefitPage {
  @ApiProperty({ type: [BenefitView] })
  items!: BenefitView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class BenefitsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  levelId?: number;

  @ApiPropertyOptional({ example: 'FREE_SHIPPING' })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{1,31}$/, { message: 'type must be an upper-case type like DISCOUNT' })
  type?: string;
}

export class EligibilityView {
  @ApiProperty({ example: false })
  eligible!: boolean;

  @ApiPropertyOptional({ enum: INELIGIBILITY_REASONS, example: 'QUOTA_USED_UP' })
  reason?: IneligibilityReason;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'What the reason is about: levels, the quota and uses, the minimum, the window',
    example: { monthlyQuota: 2, usedThisMonth: 2 },
  })
  details?: Record<string, unknown>;
}

/** `POST /benefits/quote`: the seed's cart flow. Service tokens name the member. */
export class QuoteDto {
  @ApiProperty({ example: '399.00' })
  @IsMoney()
  orderAmount!: string;

  @ApiPropertyOptional({ example: '12.00', default: '0.00' })
  @IsOptional()
  @IsMoney()
  shippingFee?: string;

  @ApiPropertyOptional({ example: '1024', description: 'Service tokens only: whose quote' })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  memberId?: string;
}

export class AppliedBenefit {
  @ApiProperty({ example: '12' })
  benefitId!: string;

  @ApiProperty({ example: 'DISCOUNT' })
  type!: string;

  @ApiProperty({ example: 'Gold: 5% off' })
  name!: string;

  @ApiProperty({
    example: '19.95',
    description: 'Money it takes off the order or shipping ("0.00" when it is not money)',
  })
  amount!: string;
}

export class QuoteView {
  @ApiProperty({ example: '1024' })
  memberId!: string;

  @ApiProperty({ example: 3 })
  levelId!: number;

  @ApiProperty({ example: '399.00' })
  orderAmount!: string;

  @ApiProperty({ example: '12.00' })
  shippingFee!: string;

  @ApiProperty({
    example: '19.95',
    description: 'Off the goods: orderAmount × (1 − rate), rounded half-up to the cent',
  })
  discountAmount!: string;

  @ApiProperty({ example: true })
  freeShipping!: boolean;

  @ApiProperty({
    example: '379.05',
    description: 'orderAmount − discountAmount + the shipping fee unless shipping is free',
  })
  payableAmount!: string;

  @ApiProperty({ example: '1.5' })
  pointsMultiplier!: string;

  @ApiProperty({
    example: 568,
    description: 'floor((orderAmount − discountAmount) in yuan × pointsMultiplier)',
  })
  estimatedPoints!: number;

  @ApiProperty({ type: [AppliedBenefit] })
  appliedBenefits!: AppliedBenefit[];
}

/** `POST /benefits/use`: one use per order and benefit. */
export class UseBenefitDto {
  @ApiProperty({
    ...PLATFORM_ID_API,
    example: 'SO-2026-000123',
    description: "The order system's id, kept as given",
  })
  @IsPlatformId()
  orderId!: string;

  @ApiProperty({ example: '12' })
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  benefitId!: string;

  @ApiProperty({ example: '399.00' })
  @IsMoney()
  orderAmount!: string;

  @ApiPropertyOptional({ example: '12.00', default: '0.00' })
  @IsOptional()
  @IsMoney()
  shippingFee?: string;

  @ApiPropertyOptional({ example: '1024', description: 'Service tokens only: whose use' })
  @IsOptional()
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  memberId?: string;
}

export class BenefitUsageView {
  @ApiProperty({ example: '77' })
  usageId!: string;

  @ApiProperty({ example: '12' })
  benefitId!: string;

  @ApiProperty({ example: 'FREE_SHIPPING' })
  type!: string;

  @ApiProperty({ ...PLATFORM_ID_API, example: 'SO-2026-000123' })
  orderId!: string;

  @ApiProperty({
    example: '12.00',
    description: 'What the use took off the order (or its shipping)',
  })
  amount!: string;

  @ApiProperty({ enum: ['used', 'cancelled'] })
  status!: 'used' | 'cancelled';

  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' })
  usedAt!: string;
}

export const STATS_PERIODS = ['day', 'month', 'year'] as const;
export type StatsPeriod = (typeof STATS_PERIODS)[number];

export class BenefitStatsQueryDto {
  @ApiPropertyOptional({ enum: STATS_PERIODS, default: 'month' })
  @IsOptional()
  @IsIn(STATS_PERIODS)
  period?: StatsPeriod;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class BenefitStatsRow {
  @ApiProperty({ example: '12' })
  benefitId!: string;

  @ApiProperty({ example: 'FREE_SHIPPING' })
  type!: string;

  @ApiProperty({ example: 'Silver: free shipping' })
  name!: string;

  @ApiProperty({
    example: '2026-11',
    description: '`2026-11-25`, `2026-11` or `2026`, in the business time zone',
  })
  period!: string;

  @ApiProperty({ example: 2 })
  uses!: number;

  @ApiProperty({ example: '24.00' })
  amount!: string;
}

export class BenefitStatsView {
  @ApiProperty({ enum: STATS_PERIODS })
  period!: StatsPeriod;

  @ApiProperty({ type: [BenefitStatsRow] })
  items!: BenefitStatsRow[];
}

/** `GET /members/{memberId}/priority`, for customer-service systems. */
export class PriorityView {
  @ApiProperty({ example: '1024' })
  memberId!: string;

  @ApiProperty({ example: 4 })
  levelId!: number;

  @ApiProperty({ example: true })
  priority!: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '23',
    description: 'The PRIORITY_SERVICE benefit that grants it, when it does',
  })
  benefitId!: string | null;
}
