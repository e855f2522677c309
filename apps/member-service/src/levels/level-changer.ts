import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@member-system/shared/messaging';
import { MemberServiceConfig } from '../config/member-service.config';
import type { Member } from '../members/entities/member.entity';
import { Level } from './level.entity';
import { LevelLadder } from './level-ladder';
import { decideLevel } from './level-policy';
import type { LevelRule } from './rules/level-rule';
import { LEVEL_RULE } from './rules/level-rules';

export interface LevelCause {
  /** `spend`, `refund`, `ladder-change`, or an admin's reason. */
  reason: string;
  /** The order, refund or admin user behind the change. */
  sourceId?: string;
  kind: 'spend' | 'refund' | 'ladder-change' | 'admin';
}

/**
 * Applies level rules to a member whose row the caller has locked in its transaction: decides the
 * level, and records a change in the row, level history and `member.level-changed.v1`, with the
 * member's next level version.
 */
@Injectable()
export class LevelChanger {
  constructor(
    @Inject(MemberServiceConfig) private readonly config: MemberServiceConfig,
    @Inject(LEVEL_RULE) private readonly rule: LevelRule,
    private readonly outbox: OutboxWriter,
  ) {}

  async ladder(manager: EntityManager): Promise<LevelLadder> {
    return LevelLadder.of(await manager.find(Level));
  }

  async qualifyingSpendCents(
    manager: EntityManager,
    member: Pick<Member, 'id' | 'totalSpentCents'>,
    asOf: Date,
  ): Promise<number> {
    return this.rule.qualifyingSpendCents({
      manager,
      memberId: member.id,
      totalSpentCents: member.totalSpentCents,
      asOf,
    });
  }

  /** Recomputes the member's level from spend; returns the level it ends on. */
  async reevaluate(
    manager: EntityManager,
    member: Member,
    cause: LevelCause,
    asOf: Date,
  ): Promise<number> {
    const ladder = await this.ladder(manager);
    const earned = ladder.levelFor(await this.qualifyingSpendCents(manager, member, asOf));
    const target = decideLevel(ladder, {
      currentLevelId: member.levelId,
      earnedLevelId: earned.id,
      floorLevelId: member.manualLevelId,
      policy: this.config.LEVEL_DOWNGRADE_POLICY,
    });
    if (target !== member.levelId) await this.change(manager, member, target, cause);
    return member.levelId;
  }

  /** Moves the member to `levelId` (no-op when already there); updates `member` in place. */
  async change(
    manager: EntityManager,
    member: Member,
    levelId: number,
    cause: LevelCause,
  ): Promise<void> {
    if (levelId === member.levelId) return;
    const version = member.levelVersion + 1;
    await manager.query('UPDATE member SET level_id = ?, level_version = ? WHERE id = ?', [
      levelId,
      version,
      member.id,
    ]);
    await manager.query(
      `INSERT INTO level_history
         (member_id, version, old_level_id, new_level_id, reason, source_id, note, total_spent_cents)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        member.id,
        version,
        member.levelId,
        levelId,
        cause.kind,
        cause.sourceId ?? null,
        cause.kind === 'admin' ? cause.reason : null,
        member.totalSpentCents,
      ],
    );
    await this.outbox.add(manager, 'member.level-changed.v1', {
      memberId: member.id,
      userId: member.userId,
      oldLevelId: member.levelId,
      newLevelId: levelId,
      reason: cause.reason,
      version,
    });
    member.levelId = levelId;
    member.levelVersion = version;
  }
}
