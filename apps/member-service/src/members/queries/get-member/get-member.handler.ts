import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MemberView } from '@member-system/contracts';
import { Member } from '../../entities/member.entity';
import { MemberNotFoundException } from '../../member.exception';
import { MemberPii } from '../../member-pii';
import { toMemberView } from '../../member-view.mapper';

@Injectable()
export class GetMemberHandler {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MemberPii) private readonly pii: MemberPii,
  ) {}

  async byUserId(userId: string): Promise<MemberView> {
    const member = await this.dataSource.getRepository(Member).findOne({ where: { userId } });
    if (!member) throw new MemberNotFoundException(userId);
    return toMemberView(member, this.pii);
  }
}
