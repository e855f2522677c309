import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import type { MemberView } from './member.view';
import { MEMBER_ID_PATTERN } from './profile-validators';

const MEMBER_ID_MESSAGE = 'memberId must be a positive decimal id';

/** Query strings carry `true`/`false` as text; anything else stays as is and fails validation. */
const booleanText = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** `GET /admin/members/{memberId}?reveal=`: the path id and the query, validated together. */
export class AdminGetMemberDto {
  @IsString()
  @Matches(MEMBER_ID_PATTERN, { message: MEMBER_ID_MESSAGE })
  memberId!: string;

  @ApiPropertyOptional({ description: 'Show PII in clear (needs members:pii; audited)' })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean()
  reveal?: boolean;
}

/** `POST /admin/members/{memberId}/erase`: no body fields, only the path id. */
export class EraseMemberDto {
  @IsString()
  @Matches(MEMBER_ID_PATTERN, { message: MEMBER_ID_MESSAGE })
  memberId!: string;
}

/** Reply of the erase command; `alreadyErased` tells a repeat from the first erasure. */
export interface EraseMemberResult {
  member: MemberView;
  alreadyErased: boolean;
  erasedAt: string;
}
