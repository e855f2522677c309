import { formatCents } from '@member-system/contracts';
import type { MemberView } from '@member-system/contracts';
import type { Member } from './entities/member.entity';
import type { MemberPii } from './member-pii';

export interface MemberViewOptions {
  /** PII in clear, for an admin holding `members:pii` (the gateway audits the read first). */
  reveal?: boolean;
}

export function toMemberView(
  member: Member,
  pii: MemberPii,
  options: MemberViewOptions = {},
): MemberView {
  const reveal = options.reveal === true;
  return {
    id: member.id,
    userId: member.userId,
    nickname: member.nickname,
    phone: reveal ? pii.open(member.phoneCiphertext) : pii.maskedPhone(member.phoneCiphertext),
    email: reveal ? pii.open(member.emailCiphertext) : pii.maskedEmail(member.emailCiphertext),
    birthday: reveal
      ? pii.open(member.birthdayCiphertext)
      : pii.maskedBirthday(member.birthdayCiphertext),
    gender: member.gender,
    avatarUrl: member.avatarUrl,
    realName: reveal
      ? pii.open(member.realNameCiphertext)
      : pii.maskedRealName(member.realNameCiphertext),
    erased: member.erasedAt instanceof Date,
    level: { id: member.level.id, name: member.level.name },
    totalSpent: formatCents(member.totalSpentCents),
    createdAt: member.createdAt.toISOString(),
  };
}
