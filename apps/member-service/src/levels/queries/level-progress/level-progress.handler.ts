import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { formatCents } from '@member-system/contracts';
import type { LevelProgressView } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { Member } from '../../../members/entities/member.entity';
import { MemberNotFoundException } from '../../../members/member.exception';
import { LevelChanger } from '../../level-changer';

/** `GET /members/me/level-progress`: where the member stands on the ladder and what the next rung needs. */
@Injectable()
export class LevelProgressHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly levels: LevelChanger,
    private readonly clock: Clock,
  ) {}

  async byUserId(userId: string): Promise<LevelProgressView> {
    const manager = this.dataSource.manager;
    const member = await manager.findOne(Member, { where: { userId } });
    if (!member) throw new MemberNotFoundException(userId);
    const ladder = await this.levels.ladder(manager);
    const spend = await this.levels.qualifyingSpendCents(manager, member, this.clock.now());
    const current = ladder.get(member.levelId) ?? ladder.levelFor(spend);
    const next = ladder.next(current.id);
    const remaining = next ? Math.max(0, next.minTotalSpentCents - spend) : 0;
    const span = next ? next.minTotalSpentCents - current.minTotalSpentCents : 0;
    const percent = next
      ? Math.min(100, Math.max(0, Math.floor(((spend - current.minTotalSpentCents) * 100) / span)))
      : 100;
    return {
      currentLevel: { id: current.id, name: current.name },
      nextLevel: next ? { id: next.id, name: next.name } : null,
      totalSpent: formatCents(member.totalSpentCents),
      qualifyingSpend: formatCents(spend),
      nextLevelThreshold: next ? formatCents(next.minTotalSpentCents) : null,
      remaining: formatCents(remaining),
      percent,
    };
  }
}
