import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { EraseMemberResult } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Member } from '../../../members/entities/member.entity';
import { lockMemberById } from '../../../members/member-locks';
import { MemberPii } from '../../../members/member-pii';
import { toMemberView } from '../../../members/member-view.mapper';
import { MemberIdNotFoundException } from '../../../profiles/profiles.exception';
import { MemberCache } from '../../../members/member-cache';
import { EraseMemberCommand } from './erase-member.command';

/**
 * Destroys the member's PII (every ciphertext and blind
 * index, the nickname, avatar and gender) and keeps the row, so points, level and history stay,
 * anonymous. `member.erased.v1` commits with the change. A repeat finds the member erased and
 * answers the same, without a second event.
 */
@CommandHandler(EraseMemberCommand)
export class EraseMemberHandler implements ICommandHandler<EraseMemberCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(MemberPii) private readonly pii: MemberPii,
    private readonly cache: MemberCache,
  ) {}

  async execute({ memberId }: EraseMemberCommand): Promise<EraseMemberResult> {
    const result = await withTransaction(this.dataSource, async (manager) => {
      const locked = await lockMemberById(manager, memberId);
      if (!locked) throw new MemberIdNotFoundException(memberId);
      const alreadyErased = locked.erasedAt instanceof Date;
      if (!alreadyErased) {
        await manager.update(
          Member,
          { id: locked.id },
          {
            nickname: null,
            avatarUrl: null,
            gender: null,
            phoneCiphertext: null,
            phoneBlindIndex: null,
            emailCiphertext: null,
            emailBlindIndex: null,
            birthdayCiphertext: null,
            birthdayMonthDay: null,
            realNameCiphertext: null,
            erasedAt: new Date(),
          },
        );
        await this.outbox.add(manager, 'member.erased.v1', {
          memberId: locked.id,
          userId: locked.userId,
        });
      }
      const member = await manager.findOneOrFail(Member, { where: { id: locked.id } });
      return {
        member: toMemberView(member, this.pii),
        alreadyErased,
        erasedAt: (member.erasedAt ?? new Date()).toISOString(),
      };
    });
    await this.cache.invalidateMembers(result.member.id);
    return result;
  }
}
