import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { ErrorCode, PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import type { Page, ParticipationView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { MemberLevelProjection, ReadDatabase } from '@member-system/shared/service';
import { participationsOf } from '../../participations';
import { ListMyParticipationsQuery } from './list-my-participations.query';

/** The member's participations, newest first, a page at a time. */
@QueryHandler(ListMyParticipationsQuery)
export class ListMyParticipationsHandler implements IQueryHandler<ListMyParticipationsQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly members: MemberLevelProjection,
  ) {}

  execute({ userId, page }: ListMyParticipationsQuery): Promise<Page<ParticipationView>> {
    return this.readDatabase.read(async (manager) => {
      const member = await this.members.of(manager, { userId });
      if (!member) throw new AppException(ErrorCode.MemberNotFound, 'Register as a member first');
      return participationsOf(manager, member.memberId, {
        limit: page.limit ?? PAGE_LIMIT_DEFAULT,
        cursor: page.cursor,
      });
    });
  }
}
