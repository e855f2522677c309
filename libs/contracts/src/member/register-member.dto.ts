import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsPlausibleBirthday } from './profile-validators';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';

export const GENDERS = ['male', 'female', 'other', 'undisclosed'] as const;
export type Gender = (typeof GENDERS)[number];

/** E.164 (`+8613812345678`) or a mainland 11-digit mobile number (`13812345678`). */
export const PHONE_PATTERN = /^(\+[1-9]\d{6,14}|1[3-9]\d{9})$/;

/** `POST /members`: the profile to start with; every field is optional. */
export class RegisterMemberDto {
  @ApiPropertyOptional({ example: 'Ann', minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  nickname?: string;

  @ApiPropertyOptional({
    example: '13812345678',
    description: 'E.164 (`+8613812345678`) or an 11-digit mainland mobile number',
    pattern: PHONE_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be E.164 or an 11-digit mainland mobile number' })
  phone?: string;

  @ApiPropertyOptional({ example: 'ann@example.com', format: 'email', maxLength: 254 })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({
    example: '1990-05-01',
    format: 'date',
    description: 'A calendar date, YYYY-MM-DD, in the past',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthday must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  @IsPlausibleBirthday()
  birthday?: string;

  @ApiPropertyOptional({ enum: GENDERS, example: 'female' })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender;
}
