import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { formatCents } from '@member-system/contracts';
import type { LevelProgressView } from '@member-system/contracts';
import { Clock, ReadDatabase } from '@member-system/shared/service';
import { Member } from '../../../members/entities/member.entity';
import { MemberCache } from '../../../members/member-cache';
import { MemberNotFoundException } from '../../../members/member.exception';
import { LevelChanger } from '../../level-changer';
import { LevelLadder } from '../../level-ladder';
import { LevelProgressQuery } from './level-progress.query';

@QueryHandler(LevelProgressQuery)
export class LevelProgressHandler implements IQueryHandler<LevelProgressQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly levels: LevelChanger,
    private readonly clock: Clock,
    private readonly cache: MemberCache,
  ) {}

  async execute({ userId }: LevelProgressQuery): Promise<LevelProgressView> {
    const progress = await this.cache.progressByUserId(
      userId,
      () =>
        this.readDatabase.read(
          async (manager) =>
            (await manager.findOne(Member, { where: { userId }, select: { id: true } }))?.id ??
            null,
        ),
      (memberId) => this.readDatabase.read((manager) => this.compute(manager, memberId)),
    );
    if (!progress) throw new MemberNotFoundException(userId);
    return progress;
  }

  private async compute(
    manager: EntityManager,
    memberId: string,
  ): Promise<LevelProgressView | null> {
    // The member's level and spend with every rung of the ladder, in one round trip: this runs
    // on every cache miss, and the ladder is a handful of rows.
    const rows = await manager.query<
      Array<{
        level_id: number;
        total_spent_cents: string;
        id: number;
        name: string;
        min_total_spent_cents: string;
      }>
    >(
      `SELECT m.level_id, m.total_spent_cents, l.id, l.name, l.min_total_spent_cents
         FROM member m CROSS JOIN level l WHERE m.id = ?`,
      [memberId],
    );
    const [first] = rows;
    if (!first) return null;
    const member = {
      id: memberId,
      levelId: Number(first.level_id),
      totalSpentCents: Number(first.total_spent_cents),
    };
    const ladder = new LevelLadder(
      rows.map((row) => ({
        id: Number(row.id),
        name: row.name,
        minTotalSpentCents: Number(row.min_total_spent_cents),
      })),
    );
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
