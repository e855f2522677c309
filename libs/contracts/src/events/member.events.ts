import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsISO8601,
  IsInt,
  IsNumberString,
  IsOptional,
  IsString,
  Length,
  Min,
} from 'class-validator';
import { IsPlatformId } from '../common/platform-id';
import { IsCalendarDate } from '../common/calendar-date';
import { IsMoney } from './event-fields';
import type { UpdateProfileDto } from '../member/update-profile.dto';

// Published by member-service on `member-system.events`.

export class MemberRegisteredV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsInt()
  @Min(1)
  levelId!: number;

  @IsISO8601()
  registeredAt!: string;

  @IsOptional()
  @IsString()
  source?: 'api' | 'platform';
}

/** Profile fields a member can change. Events name them only: their values are PII. */
export const MEMBER_PROFILE_FIELDS = [
  'nickname',
  'phone',
  'email',
  'birthday',
  'gender',
  'avatarUrl',
  'realName',
] as const satisfies readonly (keyof UpdateProfileDto)[];
export type MemberProfileField = (typeof MEMBER_PROFILE_FIELDS)[number];

export class MemberProfileUpdatedV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsArray()
  @ArrayNotEmpty()
  @IsIn(MEMBER_PROFILE_FIELDS, { each: true })
  changedFields!: MemberProfileField[];
}

/**
 * Every level change, up, down or by an admin. Projections keep the highest `version` they have
 * seen per member and ignore older ones, since events may arrive out of order.
 */
export class MemberLevelChangedV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsInt()
  @Min(1)
  oldLevelId!: number;

  @IsInt()
  @Min(1)
  newLevelId!: number;

  /** Why: `spend`, `refund`, or the admin's own words for a manual change. */
  @IsString()
  @Length(1, 500)
  reason!: string;

  @IsInt()
  @Min(1)
  version!: number;
}

/**
 * An `order.completed.v1` counted towards total spent. point-service earns the order's points from
 * this event with the multiplier of `levelBefore`, the level the member held when ordering.
 */
export class MemberOrderCreditedV1 {
  @IsPlatformId()
  orderId!: string;

  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsMoney()
  amount!: string;

  @IsInt()
  @Min(1)
  levelBefore!: number;

  @IsInt()
  @Min(1)
  levelAfter!: number;

  @IsISO8601()
  completedAt!: string;
}

/** The member's birthday in the business time zone, once a year; `memberId` + `year` is its key. */
export class MemberBirthdayV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;

  @IsInt()
  @Min(1)
  levelId!: number;

  @IsInt()
  @Min(1970)
  year!: number;

  /** The member's birthday as celebrated this year (29 February is the 28th in other years). */
  @IsCalendarDate()
  date!: string;
}

/** The member's PII was destroyed; the ledger is kept. Consumers drop any copy of the profile. */
export class MemberErasedV1 {
  @IsNumberString({ no_symbols: true })
  memberId!: string;

  @IsNumberString({ no_symbols: true })
  userId!: string;
}
