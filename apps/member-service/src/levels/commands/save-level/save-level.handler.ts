import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { ErrorCode, parseMoney } from '@member-system/contracts';
import type { CreateLevelDto, LevelView, UpdateLevelCommand } from '@member-system/contracts';
import { isDuplicateKeyError, withTransaction } from '@member-system/shared/database';
import { AppException, ValidationFailedException } from '@member-system/shared/errors';
import { MemberCache } from '../../../members/member-cache';
import { Level } from '../../level.entity';
import { LevelLadder } from '../../level-ladder';
import type { Rung } from '../../level-ladder';
import { toLevelView } from '../../queries/list-levels/list-levels.handler';
import { ReevaluateLevelsJob } from '../reevaluate-levels/reevaluate-levels.job';

/** Serializable: next-key locks make concurrent edits of the ladder queue up (or retry) instead of interleaving. */
const LADDER_EDIT = { isolation: 'SERIALIZABLE', retries: 5 } as const;

/**
 * Admins add and edit levels. The ladder must stay a ladder (first level at 0.00, thresholds
 * rising with the id); a threshold change re-evaluates every member in the background.
 */
@Injectable()
export class SaveLevelHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reevaluate: ReevaluateLevelsJob,
    private readonly cache: MemberCache,
  ) {}

  async create(dto: CreateLevelDto): Promise<LevelView> {
    const rung = { id: dto.id, name: dto.name, minTotalSpentCents: parseMoney(dto.minTotalSpent) };
    const view = await withTransaction(
      this.dataSource,
      async (manager) => {
        const rungs = await this.lockedRungs(manager);
        if (rungs.some((existing) => existing.id === rung.id)) {
          throw new AppException(ErrorCode.LevelExists, `Level ${rung.id} exists already`, {
            levelId: rung.id,
          });
        }
        this.assertLadder([...rungs, rung]);
        try {
          await manager.insert(Level, rung);
        } catch (error) {
          if (isDuplicateKeyError(error)) {
            throw new AppException(
              ErrorCode.LevelExists,
              'A level with that id or threshold exists already',
            );
          }
          throw error;
        }
        return toLevelView(rung);
      },
      LADDER_EDIT,
    );
    await this.cache.invalidateLadder();
    this.reevaluate.startInBackground();
    return view;
  }

  async update(command: UpdateLevelCommand): Promise<LevelView> {
    const { view, thresholdChanged } = await withTransaction(
      this.dataSource,
      async (manager) => {
        const rungs = await this.lockedRungs(manager);
        const current = rungs.find((rung) => rung.id === command.id);
        if (!current)
          throw new AppException(ErrorCode.LevelNotFound, 'No such level', { levelId: command.id });
        const updated: Rung = {
          id: current.id,
          name: command.name ?? current.name,
          minTotalSpentCents:
            command.minTotalSpent === undefined
              ? current.minTotalSpentCents
              : parseMoney(command.minTotalSpent),
        };
        this.assertLadder(rungs.map((rung) => (rung.id === updated.id ? updated : rung)));
        await manager.update(
          Level,
          { id: updated.id },
          { name: updated.name, minTotalSpentCents: updated.minTotalSpentCents },
        );
        return {
          view: toLevelView(updated),
          thresholdChanged: updated.minTotalSpentCents !== current.minTotalSpentCents,
        };
      },
      LADDER_EDIT,
    );
    await this.cache.invalidateLadder();
    if (thresholdChanged) this.reevaluate.startInBackground();
    return view;
  }

  /** The whole ladder, locked for the rest of the edit. */
  private async lockedRungs(manager: EntityManager): Promise<Rung[]> {
    const rows = await manager.query<
      Array<{ id: number; name: string; min_total_spent_cents: string }>
    >('SELECT id, name, min_total_spent_cents FROM level ORDER BY id FOR UPDATE');
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      minTotalSpentCents: Number(row.min_total_spent_cents),
    }));
  }

  private assertLadder(rungs: Rung[]): void {
    const problem = LevelLadder.problemWith(rungs);
    if (problem) throw new ValidationFailedException({ minTotalSpent: [problem] });
  }
}
