import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsEmail,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../common/page';
import { IsNotBeforeProperty } from './profile-validators';
import { PHONE_PATTERN } from './register-member.dto';

/** A date (a whole UTC day) or a date-time with its offset: never a time that depends on the server. */
const REGISTRATION_BOUND =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const BOUND_MESSAGE = '$property must be YYYY-MM-DD or an ISO-8601 date-time with an offset';

const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/**
 * `GET /admin/members`: every filter is optional and they combine with AND. The platform user id
 * matches exactly; phone and email too (through the blind index, ignoring case and surrounding
 * spaces); nickname by prefix. Registration dates are inclusive; a date without a time covers its
 * whole UTC day.
 */
export class SearchMembersDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '10042', description: 'The platform user id (the token `sub`)' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,19}$/, { message: 'userId must be a platform user id' })
  userId?: string;

  @ApiPropertyOptional({ example: '13812345678' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be E.164 or an 11-digit mainland mobile number' })
  phone?: string;

  @ApiPropertyOptional({ example: 'alice@example.com' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ example: '小', description: 'Prefix of the nickname' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  nickname?: string;

  @ApiPropertyOptional({ example: 2 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  levelId?: number;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @IsString()
  @Matches(REGISTRATION_BOUND, { message: BOUND_MESSAGE })
  @IsISO8601({ strict: true })
  registeredFrom?: string;

  @ApiPropertyOptional({ example: '2026-01-31' })
  @IsOptional()
  @IsString()
  @Matches(REGISTRATION_BOUND, { message: BOUND_MESSAGE })
  @IsISO8601({ strict: true })
  @IsNotBeforeProperty('registeredFrom')
  registeredTo?: string;
}
