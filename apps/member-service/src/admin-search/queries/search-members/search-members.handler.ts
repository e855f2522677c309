import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import type { MemberView, Page } from '@member-system/contracts';
import { findCursorPage } from '@member-system/shared/database';
import { ReadDatabase } from '@member-system/shared/service';
import { Member } from '../../../members/entities/member.entity';
import { MemberPii } from '../../../members/member-pii';
import { toMemberView } from '../../../members/member-view.mapper';
import { SearchMembersQuery } from './search-members.query';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** `LIKE` treats `%` and `_` as wildcards: a nickname prefix matches them literally. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, (char) => `!${char}`)}%`;
}

/** The end of the registration range as an exclusive bound: a bare date includes its whole day. */
export function registeredBefore(registeredTo: string): Date {
  const end = Date.parse(registeredTo);
  return new Date(DATE_ONLY.test(registeredTo) ? end + DAY_MS : end + 1);
}

/**
 * Exact platform user id, exact phone or email through the blind index (no plaintext is ever
 * searched), nickname prefix, level and registration range, newest first, a page at a time.
 */
@QueryHandler(SearchMembersQuery)
export class SearchMembersHandler implements IQueryHandler<SearchMembersQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    @Inject(MemberPii) private readonly pii: MemberPii,
  ) {}

  execute({ filters }: SearchMembersQuery): Promise<Page<MemberView>> {
    return this.readDatabase.read(async (manager) => {
      const query = manager
        .getRepository(Member)
        .createQueryBuilder('member')
        .innerJoinAndSelect('member.level', 'level');
      if (filters.userId !== undefined) {
        query.andWhere('member.user_id = :userId', { userId: filters.userId });
      }
      if (filters.phone !== undefined) {
        query.andWhere('member.phone_blind_index IN (:...phoneIndexes)', {
          phoneIndexes: this.pii.phoneIndexes(filters.phone),
        });
      }
      if (filters.email !== undefined) {
        query.andWhere('member.email_blind_index = :emailIndex', {
          emailIndex: this.pii.emailIndex(filters.email),
        });
      }
      if (filters.nickname !== undefined) {
        query.andWhere("member.nickname LIKE :nicknamePrefix ESCAPE '!'", {
          nicknamePrefix: likePrefix(filters.nickname),
        });
      }
      if (filters.levelId !== undefined) {
        query.andWhere('member.level_id = :levelId', { levelId: filters.levelId });
      }
      if (filters.registeredFrom !== undefined) {
        query.andWhere('member.created_at >= :registeredFrom', {
          registeredFrom: new Date(filters.registeredFrom),
        });
      }
      if (filters.registeredTo !== undefined) {
        query.andWhere('member.created_at < :registeredBefore', {
          registeredBefore: registeredBefore(filters.registeredTo),
        });
      }
      const page = await findCursorPage(query, {
        alias: 'member',
        limit: filters.limit ?? PAGE_LIMIT_DEFAULT,
        ...(filters.cursor === undefined ? {} : { cursor: filters.cursor }),
      });
      return {
        items: page.items.map((member) => toMemberView(member, this.pii)),
        nextCursor: page.nextCursor,
      };
    });
  }
}
