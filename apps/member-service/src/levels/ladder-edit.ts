import type { EntityManager } from 'typeorm';
import type { TransactionOptions } from '@member-system/shared/database';
import { ValidationFailedException } from '@member-system/shared/errors';
import { LevelLadder } from './level-ladder';
import type { Rung } from './level-ladder';

/** Serializable: next-key locks make concurrent edits of the ladder queue up (or retry) instead of interleaving. */
export const LADDER_EDIT: TransactionOptions = { isolation: 'SERIALIZABLE', retries: 5 };

/** The whole ladder, locked for the rest of the edit. */
export async function lockedRungs(manager: EntityManager): Promise<Rung[]> {
  const rows = await manager.query<
    Array<{ id: number; name: string; min_total_spent_cents: string }>
  >('SELECT id, name, min_total_spent_cents FROM level ORDER BY id FOR UPDATE');
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    minTotalSpentCents: Number(row.min_total_spent_cents),
  }));
}

/** The ladder must stay a ladder: first level at 0.00, thresholds rising with the id. */
export function assertLadder(rungs: Rung[]): void {
  const problem = LevelLadder.problemWith(rungs);
  if (problem) throw new ValidationFailedException({ minTotalSpent: [problem] });
}
