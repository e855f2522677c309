import {
  IsInt,
  IsNumberString,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MONEY_PATTERN } from '../common/money';
import { LevelRef } from './member.view';

export class CreateLevelDto {
  @ApiProperty({ example: 6, description: 'Ladder position: a higher id needs more spend' })
  @IsInt()
  @Min(1)
  @Max(1000)
  id!: number;

  @ApiProperty({ example: '黑金 Black' })
  @IsString()
  @Length(1, 64)
  name!: string;

  @ApiProperty({
    example: '100000.00',
    description: 'Total spent from which members hold the level',
  })
  @IsString()
  @Matches(MONEY_PATTERN, { message: 'minTotalSpent must be an amount like 1000.00' })
  minTotalSpent!: string;
}

export class UpdateLevelDto {
  @ApiPropertyOptional({ example: '白银 Silver' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ example: '1000.00' })
  @IsOptional()
  @IsString()
  @Matches(MONEY_PATTERN, { message: 'minTotalSpent must be an amount like 1000.00' })
  minTotalSpent?: string;
}

export class SetMemberLevelDto {
  @ApiProperty({ example: 3 })
  @IsInt()
  @Min(1)
  levelId!: number;

  @ApiProperty({
    example: 'Compensation for ticket 8812',
    description: 'Kept in level history and the event',
  })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

/** Path parameters arrive as strings; ids are decimal strings. */
export class IdParam {
  @IsNumberString({ no_symbols: true })
  @Length(1, 20)
  id!: string;
}

export class LevelView {
  @ApiProperty({ example: 2 })
  id!: number;

  @ApiProperty({ example: '白银 Silver' })
  name!: string;

  @ApiProperty({ example: '1000.00' })
  minTotalSpent!: string;
}

/** One page of the level ladder, lowest threshold first. */
export class LevelPage {
  @ApiProperty({ type: [LevelView] })
  items!: LevelView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export class LevelProgressView {
  @ApiProperty({ type: LevelRef })
  currentLevel!: LevelRef;

  @ApiProperty({ type: LevelRef, nullable: true })
  nextLevel!: LevelRef | null;

  @ApiProperty({ example: '1200.00' })
  totalSpent!: string;

  @ApiProperty({
    example: '1200.00',
    description:
      'The spend the level rule counts (equal to totalSpent under the default lifetime rule)',
  })
  qualifyingSpend!: string;

  @ApiProperty({ type: String, nullable: true, example: '5000.00' })
  nextLevelThreshold!: string | null;

  @ApiProperty({ example: '3800.00' })
  remaining!: string;

  @ApiProperty({ example: 24 })
  percent!: number;
}

export interface UpdateLevelCommand extends UpdateLevelDto {
  id: number;
}

export interface SetMemberLevelCommand extends SetMemberLevelDto {
  memberId: string;
}
