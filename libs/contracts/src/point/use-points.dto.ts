import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
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
} from 'class-validator';
import { Type } from 'class-transformer';
import { PageQueryDto } from '../common/page';

export class UsePointsDto {
  @ApiProperty({ example: 100, description: 'Whole points to spend' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  points!: number;

  @ApiProperty({
    example: '202611250001',
    description: 'The order paid with them: one spend per order',
  })
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  orderId!: string;

  @ApiPropertyOptional({ example: 'Checkout' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export interface PointsResult {
  transactionId: string;
  points: number;
  balanceAfter: number;
}

export interface CheckInResult extends PointsResult {
  /** Consecutive days including today. */
  streak: number;
  businessDate: string;
}

export interface PointTransactionView {
  id: string;
  type: string;
  points: number;
  balanceAfter: number;
  source: string;
  sourceId: string;
  createdAt: string;
  expiresAt?: string;
}

export const POINT_TRANSACTION_TYPES = ['earn', 'use', 'restore', 'expire', 'reverse'] as const;

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

  @ApiProperty({ example: '202611250002', description: 'One hold per order' })
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
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

export interface HoldView {
  holdId: string;
  orderId: string;
  points: number;
  status: 'reserved' | 'captured' | 'released' | 'expired';
  expiresAt: string;
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

export class ExpiringQueryDto {
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

export interface ExpiringLotView {
  points: number;
  expiresAt: string;
  source: string;
  earnedAt: string;
}
