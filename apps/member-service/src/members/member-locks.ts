import type { EntityManager } from 'typeorm';
import { bigintToNumber, rowsOf, statement } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { Member } from './entities/member.entity';

/** What a change to a member's spend and level needs of the member row. */
export type LockedMember = Pick<
  Member,
  'id' | 'userId' | 'levelId' | 'manualLevelId' | 'levelVersion' | 'totalSpentCents'
>;

/** Locks the member row of a user FOR UPDATE, to send with other statements (`queryTogether`). */
export function lockMemberByUserIdStatement(userId: string): Statement {
  return statement(
    `SELECT id, user_id, level_id, manual_level_id, level_version, total_spent_cents
       FROM member WHERE user_id = ? FOR UPDATE`,
    [userId],
  );
}

/** The member `lockMemberByUserIdStatement` answered, or undefined when there is none. */
export function lockedMemberOf(answer: unknown): LockedMember | undefined {
  const [row] = rowsOf<{
    id: string | number;
    user_id: string | number;
    level_id: number;
    manual_level_id: number | null;
    level_version: number;
    total_spent_cents: string | number;
  }>(answer);
  if (!row) return undefined;
  return {
    id: String(row.id),
    userId: String(row.user_id),
    levelId: Number(row.level_id),
    manualLevelId: row.manual_level_id === null ? null : Number(row.manual_level_id),
    levelVersion: Number(row.level_version),
    totalSpentCents: bigintToNumber(row.total_spent_cents) ?? 0,
  };
}

/**
 * Reads a member row FOR UPDATE inside the caller's transaction, so every change to one member's
 * spend and level happens one at a time, in the order the locks are granted. (A query builder,
 * not find(): find would join the level row and lock it for every member of that level.)
 */
export function lockMemberByUserId(manager: EntityManager, userId: string): Promise<Member | null> {
  return manager
    .createQueryBuilder(Member, 'member')
    .setLock('pessimistic_write')
    .where('member.user_id = :userId', { userId })
    .getOne();
}

export function lockMemberById(manager: EntityManager, memberId: string): Promise<Member | null> {
  return manager
    .createQueryBuilder(Member, 'member')
    .setLock('pessimistic_write')
    .where('member.id = :memberId', { memberId })
    .getOne();
}
