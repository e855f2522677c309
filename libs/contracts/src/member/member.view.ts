import type { Gender } from './register-member.dto';

export interface LevelRef {
  id: number;
  name: string;
}

/** A member as the API shows them: PII masked unless revealed to an admin with `members:pii`. */
export interface MemberView {
  id: string;
  userId: string;
  nickname: string | null;
  phone: string | null;
  email: string | null;
  birthday: string | null;
  gender: Gender | null;
  avatarUrl: string | null;
  /** Masked like `张*` or `A***`. */
  realName: string | null;
  /** The member's PII was destroyed (`POST /admin/members/{id}/erase`): the profile reads null. */
  erased: boolean;
  level: LevelRef;
  totalSpent: string;
  createdAt: string;
}

/** Reply of the register command: `created` tells the gateway to answer 201 rather than 200. */
export interface RegisterMemberResult {
  created: boolean;
  member: MemberView;
}
