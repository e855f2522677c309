import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
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
    private readonly primary: DataSource,
  ) {}

  execute({ userId, page }: ListMyParticipationsQuery): Promise<Page<ParticipationView>> {
    return this.readDatabase.read(async (manager) => {
      // A member who registered a moment ago may be unknown to this copy still: asked of
      // member-service (and recorded on the primary), so a member who exists never gets a 404.
      const member =
        (await this.members.of(manager, { userId })) ??
        (await this.members.find(this.primary.manager, { userId }));
      if (!member) throw new AppException(ErrorCode.MemberNotFound, 'Register as a member first');
      return participationsOf(manager, member.memberId, {
        limit: page.limit ?? PAGE_LIMIT_DEFAULT,
        cursor: page.cursor,
      });
    });
  }
}
