import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { MEMBER_PROFILE_FIELDS } from '../events/member.events';
import type { MemberProfileField } from '../events/member.events';
import { IsPlausibleBirthday } from './profile-validators';
import { GENDERS, PHONE_PATTERN } from './register-member.dto';
import type { Gender } from './register-member.dto';

/**
 * `PATCH /members/me`: any subset of the profile. A field left out stays as it is; `null` clears
 * it. Every field is optional, so an empty body passes here and is refused by
 * `changedProfileFieldsOf` (the gateway and member-service both call it).
 */
export class UpdateProfileDto {
  @ApiPropertyOptional({ type: String, example: '小明', nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  nickname?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: 'https://cdn.example.com/a/42.png',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: true },
    { message: 'avatarUrl must be an https URL' },
  )
  avatarUrl?: string | null;

  @ApiPropertyOptional({ enum: GENDERS, nullable: true })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender | null;

  @ApiPropertyOptional({ type: String, example: '13812345678', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be E.164 or an 11-digit mainland mobile number' })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, example: 'alice@example.com', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string | null;

  @ApiPropertyOptional({ type: String, example: '1990-05-01', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthday must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  @IsPlausibleBirthday()
  birthday?: string | null;

  @ApiPropertyOptional({ type: String, example: '张三', nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(/\S/, { message: 'realName must not be blank' })
  realName?: string | null;
}

/** The fields a validated PATCH body sets or clears, in event order; empty: nothing to do. */
export function changedProfileFieldsOf(dto: UpdateProfileDto): MemberProfileField[] {
  return MEMBER_PROFILE_FIELDS.filter((field) => dto[field] !== undefined);
}
