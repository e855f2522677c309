import { Inject } from '@nestjs/common';
import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { MemberView } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { Member } from '../../../members/entities/member.entity';
import { MemberPii } from '../../../members/member-pii';
import { toMemberView } from '../../../members/member-view.mapper';
import { MemberIdNotFoundException } from '../../profiles.exception';
import { GetMemberForAdminQuery } from './get-member-for-admin.query';

@QueryHandler(GetMemberForAdminQuery)
export class GetMemberForAdminHandler implements IQueryHandler<GetMemberForAdminQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    @Inject(MemberPii) private readonly pii: MemberPii,
  ) {}

  async execute({ memberId, reveal }: GetMemberForAdminQuery): Promise<MemberView> {
    const member = await this.readDatabase.read((manager) =>
      manager.findOne(Member, { where: { id: memberId } }),
    );
    if (!member) throw new MemberIdNotFoundException(memberId);
    return toMemberView(member, this.pii, { reveal });
  }
}
