import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { MemberView } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { Member } from '../../entities/member.entity';
import { MemberCache } from '../../member-cache';
import { MemberNotFoundException } from '../../member.exception';
import { MemberPii } from '../../member-pii';
import { toMemberView } from '../../member-view.mapper';
import { GetMemberQuery } from './get-member.query';

@QueryHandler(GetMemberQuery)
export class GetMemberHandler implements IQueryHandler<GetMemberQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    @Inject(MemberPii) private readonly pii: MemberPii,
    private readonly cache: MemberCache,
  ) {}

  async execute({ userId }: GetMemberQuery): Promise<MemberView> {
    const view = await this.cache.viewByUserId(
      userId,
      () =>
        this.readDatabase.read(
          async (manager) =>
            (await manager.findOne(Member, { where: { userId }, select: { id: true } }))?.id ??
            null,
        ),
      (id) =>
        this.readDatabase.read(async (manager) => {
          const member = await manager.findOne(Member, { where: { id } });
          return member ? toMemberView(member, this.pii) : null;
        }),
    );
    if (!view) throw new MemberNotFoundException(userId);
    return view;
  }
}
