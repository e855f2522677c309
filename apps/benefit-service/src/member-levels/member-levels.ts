import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import { TwoLevelCache } from '@member-system/shared/cache';
import type { CacheNamespace } from '@member-system/shared/cache';
import { AppException } from '@member-system/shared/errors';
import { MemberLevelProjection } from '@member-system/shared/service';
import type { MemberLevelRow, Subject } from '@member-system/shared/service';

export type MemberAtLevel = MemberLevelRow;

/**
 * The member's level from this service's own projection (member-service only for a member it
 * has not heard of yet). Cached as the seed's `member:discount:{memberId}` (10 min): what a
 * member's discount depends on is their level (the level's benefits are cached apart, per
 * level). Dropped when the level changes.
 */
@Injectable()
export class MemberLevels implements OnModuleInit {
  private readonly byMember: CacheNamespace<MemberAtLevel>;
  /** user id → member id never changes once set. */
  private readonly memberIds: CacheNamespace<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: MemberLevelProjection,
    cache: TwoLevelCache,
  ) {
    this.byMember = cache.namespace<MemberAtLevel>('member:discount', { redisTtlSeconds: 600 });
    this.memberIds = cache.namespace<string>('member:user', { redisTtlSeconds: 86_400 });
  }

  onModuleInit(): void {
    this.projection.onLevelChanged((memberId) => this.byMember.invalidate(memberId));
  }

  /**
   * The member a command is about. One this copy has not heard of yet (a registration a moment
   * ago) is asked of member-service and recorded; 404 MEMBER_NOT_FOUND only when member-service
   * says there is no such member. Unknown ids are not cached, so the next call reads the row.
   */
  async of(subject: Subject): Promise<MemberAtLevel> {
    const memberId =
      'memberId' in subject
        ? subject.memberId
        : await this.memberIds.get(subject.userId, () => this.memberIdOfUser(subject.userId));
    const member =
      memberId === null ? null : await this.byMember.get(memberId, () => this.load(memberId));
    if (member) return member;
    const asked = await this.projection.find(this.dataSource.manager, subject);
    if (!asked) throw new AppException(ErrorCode.MemberNotFound, 'No such member', { ...subject });
    return asked;
  }

  private async memberIdOfUser(userId: string): Promise<string | null> {
    return (await this.projection.of(this.dataSource.manager, { userId }))?.memberId ?? null;
  }

  private async load(memberId: string): Promise<MemberAtLevel | null> {
    return (await this.projection.of(this.dataSource.manager, { memberId })) ?? null;
  }
}
