import { formatCents } from '@member-system/contracts';
import type { MemberView } from '@member-system/contracts';
import type { Member } from './entities/member.entity';
import type { MemberPii } from './member-pii';

export function toMemberView(member: Member, pii: MemberPii): MemberView {
  return {
    id: member.id,
    userId: member.userId,
    nickname: member.nickname,
    phone: pii.maskedPhone(member.phoneCiphertext),
    email: pii.maskedEmail(member.emailCiphertext),
    birthday: pii.maskedBirthday(member.birthdayCiphertext),
    gender: member.gender,
    level: { id: member.level.id, name: member.level.name },
    totalSpent: formatCents(member.totalSpentCents),
    createdAt: member.createdAt.toISOString(),
  };
}
