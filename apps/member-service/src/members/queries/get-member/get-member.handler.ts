import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MemberView } from '@member-system/contracts';
import { Member } from '../../entities/member.entity';
import { MemberCache } from '../../member-cache';
import { MemberNotFoundException } from '../../member.exception';
import { MemberPii } from '../../member-pii';
import { toMemberView } from '../../member-view.mapper';

@Injectable()
export class GetMemberHandler {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MemberPii) private readonly pii: MemberPii,
    private readonly cache: MemberCache,
  ) {}

  async byUserId(userId: string): Promise<MemberView> {
    const members = this.dataSource.getRepository(Member);
    const view = await this.cache.viewByUserId(
      userId,
      async () => (await members.findOne({ where: { userId }, select: { id: true } }))?.id ?? null,
      async (id) => {
        const member = await members.findOne({ where: { id } });
        return member ? toMemberView(member, this.pii) : null;
      },
    );
    if (!view) throw new MemberNotFoundException(userId);
    return view;
  }
}
