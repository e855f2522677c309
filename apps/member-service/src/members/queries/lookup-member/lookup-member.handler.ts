import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { MemberRef } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { Member } from '../../entities/member.entity';
import { LookupMemberQuery } from './lookup-member.query';

/**
 * Read on the primary, never a replica or a cache: the caller asks because the member may have
 * registered a moment ago, and "not found" from here becomes the caller's 404.
 */
@QueryHandler(LookupMemberQuery)
export class LookupMemberHandler implements IQueryHandler<LookupMemberQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ subject }: LookupMemberQuery): Promise<MemberRef> {
    const member = await this.dataSource.manager.findOne(Member, {
      where: 'userId' in subject ? { userId: subject.userId } : { id: subject.memberId },
      select: { id: true, userId: true, levelId: true, levelVersion: true },
      loadEagerRelations: false,
    });
    if (!member) {
      throw new AppException(ErrorCode.MemberNotFound, 'No such member', { ...subject });
    }
    return {
      memberId: String(member.id),
      userId: String(member.userId),
      levelId: member.levelId,
      levelVersion: member.levelVersion,
    };
  }
}
