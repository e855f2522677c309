import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RegisterMemberDto, RegisterMemberResult } from '@member-system/contracts';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Member } from './entities/member.entity';
import { MemberPii } from './member-pii';
import { toMemberView } from './member-view.mapper';

export type RegistrationSource = 'api' | 'platform';

/**
 * Registers a platform user as a member, once, in the caller's transaction: the unique user id
 * makes a repeat (REST retry, `user.registered.v1` after the REST call, an order of a user who
 * registered meanwhile) return the member that exists, with `created` false.
 */
@Injectable()
export class MemberRegistrar {
  constructor(
    private readonly outbox: OutboxWriter,
    @Inject(MemberPii) private readonly pii: MemberPii,
  ) {}

  async register(
    manager: EntityManager,
    userId: string,
    profile: RegisterMemberDto,
    source: RegistrationSource,
  ): Promise<RegisterMemberResult> {
    const phone = this.pii.seal(profile.phone);
    const email = this.pii.seal(profile.email);
    const birthday = this.pii.seal(profile.birthday);
    const inserted = await manager.query<{ affectedRows: number }>(
      `INSERT IGNORE INTO member
         (user_id, nickname, gender, phone_ciphertext, phone_blind_index, email_ciphertext, email_blind_index,
          birthday_ciphertext, birthday_month_day, level_id, registered_via)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, MIN(id), ? FROM level WHERE min_total_spent_cents = 0`,
      [
        userId,
        profile.nickname ?? null,
        profile.gender ?? null,
        phone.ciphertext,
        phone.blindIndex,
        email.ciphertext,
        email.blindIndex,
        birthday.ciphertext,
        profile.birthday ? profile.birthday.slice(5) : null,
        source,
      ],
    );
    const member = await manager.findOneOrFail(Member, { where: { userId } });
    const created = inserted.affectedRows === 1;
    if (created) {
      await this.outbox.add(manager, 'member.registered.v1', {
        memberId: member.id,
        userId: member.userId,
        levelId: member.levelId,
        registeredAt: member.createdAt.toISOString(),
        source,
      });
    }
    return { created, member: toMemberView(member, this.pii) };
  }
}
