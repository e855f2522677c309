import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { changedProfileFieldsOf } from '@member-system/contracts';
import type { MemberProfileField, MemberView, UpdateProfileDto } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { ValidationFailedException } from '@member-system/shared/errors';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Member } from '../../../members/entities/member.entity';
import { MemberNotFoundException } from '../../../members/member.exception';
import { MemberCache } from '../../../members/member-cache';
import { lockMemberByUserId } from '../../../members/member-locks';
import { MemberPii } from '../../../members/member-pii';
import { toMemberView } from '../../../members/member-view.mapper';
import { MemberErasedException } from '../../profiles.exception';
import { UpdateProfileCommand } from './update-profile.command';

type MemberPatch = Partial<
  Pick<
    Member,
    | 'nickname'
    | 'avatarUrl'
    | 'gender'
    | 'phoneCiphertext'
    | 'phoneBlindIndex'
    | 'emailCiphertext'
    | 'emailBlindIndex'
    | 'birthdayCiphertext'
    | 'birthdayMonthDay'
    | 'realNameCiphertext'
  >
>;

/**
 * Only fields whose value really changes are written and named in `member.profile-updated.v1`,
 * which commits with them.
 */
@CommandHandler(UpdateProfileCommand)
export class UpdateProfileHandler implements ICommandHandler<UpdateProfileCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(MemberPii) private readonly pii: MemberPii,
    private readonly cache: MemberCache,
  ) {}

  async execute({ userId, changes }: UpdateProfileCommand): Promise<MemberView> {
    const fields = changedProfileFieldsOf(changes);
    if (fields.length === 0) {
      throw new ValidationFailedException({ body: ['name at least one profile field to change'] });
    }
    const view = await withTransaction(this.dataSource, async (manager) => {
      const member = await lockMemberByUserId(manager, userId);
      if (!member) throw new MemberNotFoundException(userId);
      if (member.erasedAt) throw new MemberErasedException(member.id);

      const patch: MemberPatch = {};
      const changed = fields.filter((field) => this.apply(member, field, changes, patch));
      if (changed.length > 0) {
        await manager.update(Member, { id: member.id }, patch);
        await this.outbox.add(manager, 'member.profile-updated.v1', {
          memberId: member.id,
          userId: member.userId,
          changedFields: changed,
        });
      }
      return this.viewOf(manager, member.id);
    });
    await this.cache.invalidateMembers(view.id);
    return view;
  }

  /** Adds the field's new value to `patch` when it differs from the stored one; says whether it did. */
  private apply(
    member: Member,
    field: MemberProfileField,
    changes: UpdateProfileDto,
    patch: MemberPatch,
  ): boolean {
    const value = changes[field] ?? null;
    switch (field) {
      case 'nickname':
      case 'avatarUrl':
        if (member[field] === value) return false;
        patch[field] = value;
        return true;
      case 'gender':
        if (member.gender === changes.gender) return false;
        patch.gender = changes.gender ?? null;
        return true;
      case 'phone':
        if (this.pii.open(member.phoneCiphertext) === value) return false;
        patch.phoneCiphertext = this.pii.encrypt(value);
        patch.phoneBlindIndex = value === null ? null : this.pii.cipher.blindIndex(value);
        return true;
      case 'email':
        if (this.pii.open(member.emailCiphertext) === value) return false;
        patch.emailCiphertext = this.pii.encrypt(value);
        patch.emailBlindIndex = value === null ? null : this.pii.emailIndex(value);
        return true;
      case 'birthday':
        if (this.pii.open(member.birthdayCiphertext) === value) return false;
        patch.birthdayCiphertext = this.pii.encrypt(value);
        patch.birthdayMonthDay = value === null ? null : value.slice(5);
        return true;
      case 'realName':
        if (this.pii.open(member.realNameCiphertext) === value) return false;
        patch.realNameCiphertext = this.pii.encrypt(value);
        return true;
    }
  }

  private async viewOf(manager: EntityManager, memberId: string): Promise<MemberView> {
    const member = await manager.findOneOrFail(Member, { where: { id: memberId } });
    return toMemberView(member, this.pii);
  }
}
