import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import { TwoLevelCache } from '@member-system/shared/cache';
import type { CacheNamespace } from '@member-system/shared/cache';
import { AppException } from '@member-system/shared/errors';
import type { Subject } from '@member-system/shared/service';

export interface MemberAtLevel {
  memberId: string;
  userId: string;
  levelId: number;
}

/**
 * The member's level from this service's own projection, never from member-service. Cached as the
 * seed's `member:discount:{memberId}` (10 min): what a member's discount depends on is their
 * level (the level's benefits are cached apart, per level). Dropped when the level changes.
 */
@Injectable()
export class MemberLevels {
  private readonly byMember: CacheNamespace<MemberAtLevel>;
  /** user id → member id never changes once set. */
  private readonly memberIds: CacheNamespace<string>;

  constructor(
    private readonly dataSource: DataSource,
    cache: TwoLevelCache,
  ) {
    this.byMember = cache.namespace<MemberAtLevel>('member:discount', { redisTtlSeconds: 600 });
    this.memberIds = cache.namespace<string>('member:user', { redisTtlSeconds: 86_400 });
  }

  /** The member a command is about; 404 MEMBER_NOT_FOUND before member-service announced them. */
  async of(subject: Subject): Promise<MemberAtLevel> {
    const memberId =
      'memberId' in subject
        ? subject.memberId
        : await this.memberIds.get(subject.userId, () => this.memberIdOfUser(subject.userId));
    const member =
      memberId === null ? null : await this.byMember.get(memberId, () => this.load(memberId));
    if (!member) {
      throw new AppException(ErrorCode.MemberNotFound, 'No such member', { ...subject });
    }
    return member;
  }

  async invalidate(memberId: string): Promise<void> {
    await this.byMember.invalidate(memberId);
  }

  private async memberIdOfUser(userId: string): Promise<string | null> {
    const [row] = await this.dataSource.query<Array<{ member_id: string }>>(
      'SELECT member_id FROM member_level WHERE user_id = ?',
      [userId],
    );
    return row ? String(row.member_id) : null;
  }

  private async load(memberId: string): Promise<MemberAtLevel | null> {
    const [row] = await this.dataSource.query<
      Array<{ member_id: string; user_id: string; level_id: number }>
    >('SELECT member_id, user_id, level_id FROM member_level WHERE member_id = ?', [memberId]);
    return row
      ? {
          memberId: String(row.member_id),
          userId: String(row.user_id),
          levelId: Number(row.level_id),
        }
      : null;
  }
}
