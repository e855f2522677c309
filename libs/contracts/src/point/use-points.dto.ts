import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumberString,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  NotEquals,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { PageQueryDto } from '../common/page';
import { IsPlatformId, PLATFORM_ID_API } from '../common/platform-id';

export class UsePointsDto {
  @ApiProperty({ example: 100, description: 'Whole points to spend' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  points!: number;

  @ApiProperty({
    ...PLATFORM_ID_API,
    example: 'SO-2026-000123',
    description:
      "The order paid with them (the order system's id, kept as given): one spend per order",
  })
  @IsPlatformId()
  orderId!: string;

  @ApiPropertyOptional({ example: 'Checkout' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class PointsResult {
  @ApiProperty({ example: '8812' })
  transactionId!: string;

  @ApiProperty({ example: 100 })
  points!: number;

  @ApiProperty({ example: 1220 })
  balanceAfter!: number;
}

export class CheckInResult extends PointsResult {
  @ApiProperty({ example: 3, description: 'Consecutive days including today' })
  streak!: number;

  @ApiProperty({ example: '2026-11-25' })
  businessDate!: string;
}

/**
 * Every kind of history row. Value in or out of the member's points: earn, adjust (an admin's,
 * either sign), use, restore (a cancelled order's spend given back), expire, capture (a hold
 * spent), reverse (a refund). Moves between balances: hold, release, freeze, unfreeze, repay (a
 * credit paying debt).
 */
export const POINT_TRANSACTION_TYPES = [
  'earn',
  'adjust',
  'use',
  'restore',
  'expire',
  'capture',
  'reverse',
  'hold',
  'release',
  'freeze',
  'unfreeze',
  'repay',
] as const;
export type PointTransactionType = (typeof POINT_TRANSACTION_TYPES)[number];
const POINT_TRANSACTION_TYPES_DOC = [...POINT_TRANSACTION_TYPES];

export class PointTransactionView {
  @ApiProperty({ example: '8812' })
  id!: string;

  @ApiProperty({
    enum: POINT_TRANSACTION_TYPES_DOC,
    example: 'earn',
    description:
      'What moved. Value in or out: earn, adjust, use, restore, expire, capture, reverse (`points` is the change of available + frozen + held − debt). Moves between balances: hold, release, freeze, unfreeze, repay (`points` is the change of available).',
  })
  type!: string;

  @ApiProperty({ example: 120, description: 'Signed: credits positive, debits negative' })
  points!: number;

  @ApiProperty({ example: 1320, description: 'Available after this row' })
  balanceAfter!: number;

  @ApiProperty({ example: 0, description: 'Frozen after this row' })
  frozenAfter!: number;

  @ApiProperty({ example: 0, description: 'Held by checkout holds after this row' })
  heldAfter!: number;

  @ApiProperty({ example: 0, description: 'Debt after this row' })
  debtAfter!: number;

  @ApiProperty({ example: 'order' })
  source!: string;

  @ApiProperty({
    example: 'SO-2026-000123',
    description: 'The order, refund, review or other key the row comes from',
  })
  sourceId!: string;

  @ApiProperty({ example: '2026-11-25T08:00:00.000Z' })
  createdAt!: string;

  @ApiPropertyOptional({ example: '2028-11-25T15:59:59.999Z', description: 'Credits only' })
  expiresAt?: string;
}

/** One page of a member's history. */
export class PointTransactionPage {
  @ApiProperty({ type: [PointTransactionView] })
  items!: PointTransactionView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

/** `GET /points/me/transactions` filters and paging. */
export class TransactionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: POINT_TRANSACTION_TYPES })
  @IsOptional()
  @IsIn(POINT_TRANSACTION_TYPES)
  type?: (typeof POINT_TRANSACTION_TYPES)[number];

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class ReserveHoldDto {
  @ApiProperty({ example: 200 })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  points!: number;

  @ApiProperty({ ...PLATFORM_ID_API, example: 'SO-2026-000124', description: 'One hold per order' })
  @IsPlatformId()
  orderId!: string;

  @ApiPropertyOptional({
    example: 900,
    description: 'How long the hold lasts (default 15 minutes)',
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(7 * 24 * 3600)
  ttlSeconds?: number;
}

export class HoldView {
  @ApiProperty({ example: '311' })
  holdId!: string;

  @ApiProperty({ ...PLATFORM_ID_API, example: 'SO-2026-000124' })
  orderId!: string;

  @ApiProperty({ example: 200 })
  points!: number;

  @ApiProperty({ enum: ['reserved', 'captured', 'released', 'expired'] })
  status!: 'reserved' | 'captured' | 'released' | 'expired';

  @ApiProperty({ example: '2026-11-25T08:15:00.000Z' })
  expiresAt!: string;
}

export interface HoldCommand {
  holdId: string;
}

export class AdjustPointsDto {
  @ApiProperty({ example: 200, description: 'Positive to credit, negative to deduct' })
  @IsInt()
  @Min(-100_000_000)
  @Max(100_000_000)
  @NotEquals(0)
  points!: number;

  @ApiProperty({ example: 'COMPENSATION', description: 'Upper-case code for reports' })
  @Matches(/^[A-Z][A-Z0-9_]{1,39}$/, {
    message: 'reasonCode must be an upper-case code like COMPENSATION',
  })
  reasonCode!: string;

  @ApiPropertyOptional({ example: 'Ticket 8812: parcel lost' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  note?: string;
}

/** `POST /admin/members/{memberId}/points/freeze` and `/unfreeze`. */
export class FreezePointsDto {
  @ApiProperty({ example: 500, description: 'Whole points to freeze, or to release' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  points!: number;

  @ApiProperty({ example: 'Ticket 9031: suspected fraud' })
  @IsString()
  @Length(1, 200)
  reason!: string;
}

export class FreezeResult {
  @ApiProperty({ example: 500 })
  points!: number;

  @ApiProperty({
    type: [String],
    example: ['41'],
    description:
      'The freeze made (freeze), or the admin freezes released from, oldest first (unfreeze)',
  })
  freezeIds!: string[];

  @ApiProperty({ example: 820 })
  balanceAfter!: number;

  @ApiProperty({ example: 500 })
  frozenAfter!: number;
}

export class ExpiringQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: 30,
    description: 'The window in days (default 30, at most 1000)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  days?: number;
}

export class ExpiringLotView {
  @ApiProperty({ example: 120 })
  points!: number;

  @ApiProperty({ example: '2026-12-01T15:59:59.999Z' })
  expiresAt!: string;

  @ApiProperty({ example: 'order' })
  source!: string;

  @ApiProperty({ example: '2024-12-01T08:00:00.000Z' })
  earnedAt!: string;
}

/** One page of a member's expiring lots, soonest first. */
export class ExpiringLotPage {
  @ApiProperty({ type: [ExpiringLotView] })
  items!: ExpiringLotView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export const EARN_BATCH_MAX_ITEMS = 5000;

/** What an admin's bulk credit may name as its source; each has its own key space. */
export const EARN_BATCH_SOURCES = ['batch', 'campaign', 'adjustment'] as const;
export type EarnBatchSource = (typeof EARN_BATCH_SOURCES)[number];

export class EarnBatchItemDto {
  @ApiProperty({ example: '1024' })
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  memberId!: string;

  @ApiProperty({ example: 100 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  points!: number;

  @ApiProperty({
    enum: EARN_BATCH_SOURCES,
    example: 'campaign',
    description:
      'Platform sources (order, review, check-in, birthday) earn only from their own events',
  })
  @IsIn(EARN_BATCH_SOURCES)
  source!: EarnBatchSource;

  @ApiProperty({
    ...PLATFORM_ID_API,
    example: 'double-11-2026-1024',
    description: 'With source, the item’s natural key: it earns once',
  })
  @IsPlatformId()
  sourceId!: string;
}

export class EarnBatchDto {
  @ApiProperty({ type: [EarnBatchItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EARN_BATCH_MAX_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => EarnBatchItemDto)
  items!: EarnBatchItemDto[];
}

export class EarnBatchResult {
  @ApiProperty({ example: 4998 })
  credited!: number;

  @ApiProperty({ example: 1 })
  duplicates!: number;

  @ApiProperty({
    type: [String],
    example: ['99999'],
    description: 'Items naming a member with no points account; nothing was credited for them',
  })
  unknownMembers!: string[];

  @ApiProperty({ example: 4998 })
  points!: number;
}
