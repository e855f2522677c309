import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MemberView } from '@member-system/contracts';
import { Member } from '../../../members/entities/member.entity';
import { MemberPii } from '../../../members/member-pii';
import { toMemberView } from '../../../members/member-view.mapper';
import { MemberIdNotFoundException } from '../../profiles.exception';

/** `GET /admin/members/{memberId}`: masked, or in clear once the gateway has audited the reveal. */
@Injectable()
export class GetMemberForAdminHandler {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MemberPii) private readonly pii: MemberPii,
  ) {}

  async execute(memberId: string, reveal: boolean): Promise<MemberView> {
    const member = await this.dataSource.getRepository(Member).findOne({ where: { id: memberId } });
    if (!member) throw new MemberIdNotFoundException(memberId);
    return toMemberView(member, this.pii, { reveal });
  }
}
