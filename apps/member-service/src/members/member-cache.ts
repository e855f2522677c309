import { Injectable } from '@nestjs/common';
import { TwoLevelCache } from '@member-system/shared/cache';
import type { CacheNamespace } from '@member-system/shared/cache';
import type { LevelProgressView, LevelView, MemberView, Page } from '@member-system/contracts';

/**
 * The seed's `member:info:{member_id}` (1 h) and `member:level` (24 h) caches. Writers call
 * `invalidate…` after their transaction commits and before they reply, so a member always reads
 * their own writes, on every instance.
 */
@Injectable()
export class MemberCache {
  private readonly views: CacheNamespace<MemberView>;
  /** user id → member id never changes once set, so it needs no invalidation. */
  private readonly memberIds: CacheNamespace<string>;
  /** The ladder's first page at the default limit: what nearly every client asks for. */
  private readonly ladder: CacheNamespace<Page<LevelView>>;
  /**
   * Level progress by member id. Invalidated with the member's view; its short life bounds how far
   * a rolling spend window may have moved on since it was computed.
   */
  private readonly progress: CacheNamespace<LevelProgressView>;

  constructor(cache: TwoLevelCache) {
    this.views = cache.namespace<MemberView>('member:info', { redisTtlSeconds: 3600 });
    this.memberIds = cache.namespace<string>('member:user', { redisTtlSeconds: 86_400 });
    this.ladder = cache.namespace<Page<LevelView>>('member:level', { redisTtlSeconds: 86_400 });
    this.progress = cache.namespace<LevelProgressView>('member:progress', {
      redisTtlSeconds: 60,
    });
  }

  viewByUserId(
    userId: string,
    findMemberId: () => Promise<string | null>,
    loadView: (memberId: string) => Promise<MemberView | null>,
  ): Promise<MemberView | null> {
    return this.byUserId(this.views, userId, findMemberId, loadView);
  }

  progressByUserId(
    userId: string,
    findMemberId: () => Promise<string | null>,
    loadProgress: (memberId: string) => Promise<LevelProgressView | null>,
  ): Promise<LevelProgressView | null> {
    return this.byUserId(this.progress, userId, findMemberId, loadProgress);
  }

  /** A member's entry of `namespace`, found by user id through the cached user → member map. */
  private async byUserId<T>(
    namespace: CacheNamespace<T>,
    userId: string,
    findMemberId: () => Promise<string | null>,
    load: (memberId: string) => Promise<T | null>,
  ): Promise<T | null> {
    const memberId = await this.memberIds.get(userId, findMemberId);
    return memberId === null ? null : namespace.get(memberId, () => load(memberId));
  }

  /** Preloads profiles by member id (at start-up); members `load` leaves out are not cached. */
  async warmViews(
    memberIds: string[],
    load: (ids: string[]) => Promise<Map<string, MemberView>>,
  ): Promise<void> {
    await this.views.warm(memberIds, load);
  }

  firstLevelsPage(load: () => Promise<Page<LevelView>>): Promise<Page<LevelView> | null> {
    return this.ladder.get('first-page', load);
  }

  async invalidateMembers(...memberIds: string[]): Promise<void> {
    if (memberIds.length === 0) return;
    await Promise.all([
      this.views.invalidateMany(memberIds),
      this.progress.invalidateMany(memberIds),
    ]);
  }

  /** A changed ladder changes every member's progress too. */
  async invalidateLadder(): Promise<void> {
    await Promise.all([this.ladder.invalidate('first-page'), this.progress.invalidateAll()]);
  }
}
