import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventConsumer } from '@member-system/shared/messaging';
import { MemberOwner } from '../owners/member-owner';

export interface MemberLevelRow {
  memberId: string;
  userId: string;
  levelId: number;
}

/**
 * A service's own copy of each member's level (table `member_level`, migration
 * CreateMemberLevelProjection), fed by member events so the service seldom asks member-service.
 * A registration is version 1; an upsert keeps whichever version is newer, so events arriving
 * twice or out of order never move a member back. A write path that finds no member asks
 * member-service (`find`): the registration event may still be on its way.
 */
@Injectable()
export class MemberLevelProjection implements OnModuleInit {
  private readonly changeListeners: Array<(memberId: string) => Promise<void> | void> = [];

  constructor(
    private readonly consumer: EventConsumer,
    private readonly owner: MemberOwner,
  ) {}

  onModuleInit(): void {
    this.consumer.on('member.registered.v1', (payload, { manager }) =>
      this.record(manager, { ...payload, version: 1 }),
    );
    this.consumer.on('member.level-changed.v1', async (payload, { manager, afterCommit }) => {
      await this.record(manager, {
        memberId: payload.memberId,
        userId: payload.userId,
        levelId: payload.newLevelId,
        version: payload.version,
      });
      for (const listener of this.changeListeners) afterCommit(() => listener(payload.memberId));
    });
  }

  /** Called after a level change commits (to drop caches that hold the member's level). */
  onLevelChanged(listener: (memberId: string) => Promise<void> | void): void {
    this.changeListeners.push(listener);
  }

  async record(
    manager: EntityManager,
    change: MemberLevelRow & { version: number },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO member_level (member_id, user_id, level_id, version) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE
         level_id = IF(VALUES(version) > version, VALUES(level_id), level_id),
         version = GREATEST(version, VALUES(version))`,
      [change.memberId, change.userId, change.levelId, change.version],
    );
  }

  /**
   * The member from this copy or, when the copy has not heard of them yet, from member-service;
   * what it says is recorded as the events would record it (at its level version), so
   * `member.registered.v1` arriving later, or a level change in between, changes nothing wrong.
   * Undefined only when member-service says there is no such member; member-service down is a
   * 503. `manager` must be able to write (the primary, the caller's transaction if it has one).
   */
  async find(
    manager: EntityManager,
    who: { memberId: string } | { userId: string },
  ): Promise<MemberLevelRow | undefined> {
    const known = await this.of(manager, who);
    if (known) return known;
    const member = await this.owner.find(who);
    if (!member) return undefined;
    const { memberId, userId, levelId } = member;
    await this.record(manager, { memberId, userId, levelId, version: member.levelVersion });
    return { memberId, userId, levelId };
  }

  async of(
    manager: EntityManager,
    who: { memberId: string } | { userId: string },
  ): Promise<MemberLevelRow | undefined> {
    const [column, value] =
      'memberId' in who ? ['member_id', who.memberId] : ['user_id', who.userId];
    const [row] = await manager.query<
      Array<{ member_id: string; user_id: string; level_id: number }>
    >(`SELECT member_id, user_id, level_id FROM member_level WHERE ${column} = ?`, [value]);
    return row
      ? {
          memberId: String(row.member_id),
          userId: String(row.user_id),
          levelId: Number(row.level_id),
        }
      : undefined;
  }
}
