import { ApiProperty } from '@nestjs/swagger';
import { GENDERS } from './register-member.dto';
import type { Gender } from './register-member.dto';

export class LevelRef {
  @ApiProperty({ example: 2 })
  id!: number;

  @ApiProperty({ example: '白银 Silver' })
  name!: string;
}

/** A member as the API shows them: PII masked unless revealed to an admin with `members:pii`. */
export class MemberView {
  @ApiProperty({ example: '1024' })
  id!: string;

  @ApiProperty({ example: '42' })
  userId!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ann' })
  nickname!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '138****5678' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'a***@example.com' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '1990-05-01' })
  birthday!: string | null;

  @ApiProperty({ enum: GENDERS, nullable: true })
  gender!: Gender | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  avatarUrl!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '张*',
    description: 'Masked like `张*` or `A***`',
  })
  realName!: string | null;

  @ApiProperty({
    example: false,
    description:
      "The member's PII was destroyed (`POST /admin/members/{id}/erase`): the profile reads null",
  })
  erased!: boolean;

  @ApiProperty({ type: LevelRef })
  level!: LevelRef;

  @ApiProperty({ example: '1200.00' })
  totalSpent!: string;

  @ApiProperty({ example: '2026-11-01T08:00:00.000Z' })
  createdAt!: string;
}

/** One page of an admin's member search. */
export class MemberPage {
  @ApiProperty({ type: [MemberView] })
  items!: MemberView[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

/** Reply of the register command: `created` tells the gateway to answer 201 rather than 200. */
export interface RegisterMemberResult {
  created: boolean;
  member: MemberView;
}
