import type { EntityManager } from 'typeorm';
import { Member } from './entities/member.entity';

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
