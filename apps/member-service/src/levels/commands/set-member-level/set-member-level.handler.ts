import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { MemberView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { inUnitOfWork } from '../../../database/unit-of-work';
import { Member } from '../../../members/entities/member.entity';
import { MemberCache } from '../../../members/member-cache';
import { lockMemberById } from '../../../members/member-locks';
import { MemberPii } from '../../../members/member-pii';
import { toMemberView } from '../../../members/member-view.mapper';
import { LevelChanger } from '../../level-changer';
import { SetMemberLevelCommand } from './set-member-level.command';

/**
 * The level set by hand also becomes the member's floor: automatic changes never take the member
 * below it.
 */
@CommandHandler(SetMemberLevelCommand)
export class SetMemberLevelHandler implements ICommandHandler<SetMemberLevelCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly levels: LevelChanger,
    private readonly pii: MemberPii,
    private readonly cache: MemberCache,
  ) {}

  async execute(command: SetMemberLevelCommand): Promise<MemberView> {
    const memberId = await inUnitOfWork(this.dataSource, async (unit) => {
      const { manager } = unit;
      const member = await lockMemberById(manager, command.memberId);
      if (!member)
        throw new AppException(ErrorCode.MemberNotFound, 'No such member', {
          memberId: command.memberId,
        });
      const ladder = await this.levels.ladder(manager);
      if (!ladder.get(command.levelId)) {
        throw new AppException(ErrorCode.LevelNotFound, 'No such level', {
          levelId: command.levelId,
        });
      }
      await manager.query('UPDATE member SET manual_level_id = ? WHERE id = ?', [
        command.levelId,
        member.id,
      ]);
      await this.levels.change(unit, member, command.levelId, {
        kind: 'admin',
        reason: command.reason,
        sourceId: command.admin.userId,
      });
      return member.id;
    });
    await this.cache.invalidateMembers(memberId);
    const member = await this.dataSource.manager.findOneOrFail(Member, { where: { id: memberId } });
    return toMemberView(member, this.pii);
  }
}
