import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, In } from 'typeorm';
import { LOGGER } from '@member-system/shared/service';
import { MemberServiceConfig } from '../config/member-service.config';
import { Member } from './entities/member.entity';
import { MemberCache } from './member-cache';
import { MemberPii } from './member-pii';
import { toMemberView } from './member-view.mapper';

/**
 * Loads the profiles of the most recently active members into the cache at start-up, in the
 * background: a fresh instance answers its first requests from memory, and boot never waits.
 */
@Injectable()
export class MemberCacheWarmer implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: MemberCache,
    private readonly pii: MemberPii,
    @Inject(MemberServiceConfig) private readonly config: MemberServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.MEMBER_CACHE_WARM_COUNT === 0) return;
    this.warm().catch((error: unknown) =>
      this.logger.warn({ err: error }, 'member cache warm-up failed'),
    );
  }

  async warm(): Promise<number> {
    const started = Date.now();
    const recent = await this.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM member WHERE erased_at IS NULL ORDER BY updated_at DESC LIMIT ?',
      [this.config.MEMBER_CACHE_WARM_COUNT],
    );
    const ids = recent.map((row) => row.id);
    await this.cache.warmViews(ids, async (keys) => {
      const members = await this.dataSource.getRepository(Member).find({ where: { id: In(keys) } });
      return new Map(members.map((member) => [member.id, toMemberView(member, this.pii)]));
    });
    this.logger.info({ members: ids.length, ms: Date.now() - started }, 'member cache warmed');
    return ids.length;
  }
}
