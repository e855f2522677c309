import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { withTransaction } from '@member-system/shared/database';
import { Clock, JobRegistry, LOGGER } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { MemberCache } from '../../../members/member-cache';
import { lockMemberById } from '../../../members/member-locks';
import { LevelChanger } from '../../level-changer';

const BATCH_SIZE = 200;

/**
 * Recomputes every member's level, in batches of short transactions: after the ladder changes
 * (started in the background), nightly (to finish what a crash interrupted) and on demand.
 */
@Injectable()
export class ReevaluateLevelsJob implements Job, OnModuleInit {
  readonly name = 'reevaluate-levels';
  readonly schedule = { dailyAt: '03:30' };
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly levels: LevelChanger,
    private readonly registry: JobRegistry,
    private readonly clock: Clock,
    private readonly cache: MemberCache,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** After a ladder edit: one pass at a time; an edit during a pass starts another after it. */
  startInBackground(): void {
    const previous = this.running ?? Promise.resolve();
    const pass = previous
      .then(() => this.run(this.clock.now()))
      .then((result) =>
        this.logger.info(
          { job: this.name, ...result },
          'levels re-evaluated after a ladder change',
        ),
      )
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'level re-evaluation failed; the nightly run retries'),
      )
      .finally(() => {
        if (this.running === pass) this.running = undefined;
      });
    this.running = pass;
  }

  async run(asOf: Date): Promise<Record<string, unknown>> {
    let afterId = '0';
    let members = 0;
    let changed = 0;
    for (;;) {
      const ids = (
        await this.dataSource.query<Array<{ id: string }>>(
          'SELECT id FROM member WHERE id > ? AND erased_at IS NULL ORDER BY id LIMIT ?',
          [afterId, BATCH_SIZE],
        )
      ).map((row) => row.id);
      if (ids.length === 0) break;
      const changedIds = await withTransaction(this.dataSource, async (manager) => {
        const changedInBatch: string[] = [];
        for (const id of ids) {
          const member = await lockMemberById(manager, id);
          if (!member) continue;
          const before = member.levelId;
          await this.levels.reevaluate(
            manager,
            member,
            { kind: 'ladder-change', reason: 'ladder-change' },
            asOf,
          );
          if (member.levelId !== before) changedInBatch.push(member.id);
        }
        return changedInBatch;
      });
      await this.cache.invalidateMembers(...changedIds);
      changed += changedIds.length;
      members += ids.length;
      afterId = ids[ids.length - 1] as string;
    }
    return { members, changed };
  }
}
