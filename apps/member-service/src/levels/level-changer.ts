import { Inject, Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { bigintToNumber, queryTogether, rowsOf, statement } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { MemberServiceConfig } from '../config/member-service.config';
import type { UnitOfWork } from '../database/unit-of-work';
import type { LockedMember } from '../members/member-locks';
import { MemberLevelUpgradedEvent } from './events/member-level-upgraded.event';
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
 * member's next level version. An upgrade is also announced in the service as
 * `MemberLevelUpgradedEvent`, once the transaction committed.
 */
@Injectable()
export class LevelChanger {
  constructor(
    @Inject(MemberServiceConfig) private readonly config: MemberServiceConfig,
    @Inject(LEVEL_RULE) private readonly rule: LevelRule,
    private readonly outbox: OutboxWriter,
    private readonly eventBus: EventBus,
  ) {}

  async ladder(manager: EntityManager): Promise<LevelLadder> {
    const [rungs] = await queryTogether(manager, [this.ladderStatement()]);
    return this.ladderOf(rungs);
  }

  /** The read of the ladder, to send with other statements (`queryTogether`). */
  ladderStatement(): Statement {
    return statement('SELECT id, name, min_total_spent_cents FROM level');
  }

  /** The ladder `ladderStatement` answered. */
  ladderOf(answer: unknown): LevelLadder {
    return new LevelLadder(
      rowsOf<{ id: number; name: string; min_total_spent_cents: string | number }>(answer).map(
        (row) => ({
          id: Number(row.id),
          name: row.name,
          minTotalSpentCents: bigintToNumber(row.min_total_spent_cents) ?? 0,
        }),
      ),
    );
  }

  async qualifyingSpendCents(
    manager: EntityManager,
    member: Pick<LockedMember, 'id' | 'totalSpentCents'>,
    asOf: Date,
  ): Promise<number> {
    return this.rule.qualifyingSpendCents({
      manager,
      memberId: member.id,
      totalSpentCents: member.totalSpentCents,
      asOf,
    });
  }

  /** True when a level follows from the member's total spent alone (see LevelRule). */
  get decidesFromTotalAlone(): boolean {
    return this.rule.fromTotalAlone;
  }

  /** Recomputes the member's level from spend; returns the level it ends on. */
  async reevaluate(
    unit: UnitOfWork,
    member: LockedMember,
    cause: LevelCause,
    asOf: Date,
  ): Promise<number> {
    const { manager } = unit;
    const target = await this.targetLevel(manager, member, await this.ladder(manager), asOf);
    await this.change(unit, member, target, cause);
    return member.levelId;
  }

  /** The level the rules give the member now on `ladder` (its current one when nothing moves it). */
  async targetLevel(
    manager: EntityManager,
    member: LockedMember,
    ladder: LevelLadder,
    asOf: Date,
  ): Promise<number> {
    const earned = ladder.levelFor(await this.qualifyingSpendCents(manager, member, asOf));
    return decideLevel(ladder, {
      currentLevelId: member.levelId,
      earnedLevelId: earned.id,
      floorLevelId: member.manualLevelId,
      policy: this.config.LEVEL_DOWNGRADE_POLICY,
    });
  }

  /** Moves the member to `levelId` (no-op when already there); updates `member` in place. */
  async change(
    unit: UnitOfWork,
    member: LockedMember,
    levelId: number,
    cause: LevelCause,
  ): Promise<void> {
    await queryTogether(unit.manager, this.changeStatements(unit, member, levelId, cause));
  }

  /**
   * The statements of `change`, for a caller to send with its own (`queryTogether`): none when
   * the member is at `levelId` already. Updates `member` in place.
   */
  changeStatements(
    unit: UnitOfWork,
    member: LockedMember,
    levelId: number,
    cause: LevelCause,
  ): Statement[] {
    if (levelId === member.levelId) return [];
    const { manager } = unit;
    const version = member.levelVersion + 1;
    const statements = [
      statement('UPDATE member SET level_id = ?, level_version = ? WHERE id = ?', [
        levelId,
        version,
        member.id,
      ]),
      statement(
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
      ),
      this.outbox.statement(manager, 'member.level-changed.v1', {
        memberId: member.id,
        userId: member.userId,
        oldLevelId: member.levelId,
        newLevelId: levelId,
        reason: cause.reason,
        version,
      }),
    ];
    // Thresholds rise with the level id (LevelLadder), so a higher id is a higher level.
    if (levelId > member.levelId) {
      const upgrade = new MemberLevelUpgradedEvent(member.id, member.levelId, levelId);
      unit.afterCommit(() => {
        this.eventBus.publish(upgrade);
      });
    }
    member.levelId = levelId;
    member.levelVersion = version;
    return statements;
  }
}
