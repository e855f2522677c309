export interface Rung {
  id: number;
  name: string;
  minTotalSpentCents: number;
}

/**
 * The ladder as a value: levels ordered by id, thresholds strictly rising, the first at 0.
 * Every level decision goes through it.
 */
export class LevelLadder {
  readonly rungs: readonly Rung[];

  constructor(levels: readonly Rung[]) {
    const rungs = [...levels].sort((a, b) => a.id - b.id);
    const problem = LevelLadder.problemWith(rungs);
    if (problem) throw new Error(`invalid level ladder: ${problem}`);
    this.rungs = rungs;
  }

  /** Why these rungs cannot form a ladder, or undefined when they can. */
  static problemWith(rungs: readonly Rung[]): string | undefined {
    const sorted = [...rungs].sort((a, b) => a.id - b.id);
    if (sorted.length === 0) return 'there must be at least one level';
    if (sorted[0]?.minTotalSpentCents !== 0) return 'the first level must start at 0.00';
    for (let index = 1; index < sorted.length; index += 1) {
      const previous = sorted[index - 1] as Rung;
      const current = sorted[index] as Rung;
      if (current.minTotalSpentCents <= previous.minTotalSpentCents) {
        return `level ${current.id} must need more spend than level ${previous.id}`;
      }
    }
    return undefined;
  }

  /** The highest level whose threshold the spend reaches. */
  levelFor(spendCents: number): Rung {
    let reached = this.rungs[0] as Rung;
    for (const rung of this.rungs) if (spendCents >= rung.minTotalSpentCents) reached = rung;
    return reached;
  }

  get(id: number): Rung | undefined {
    return this.rungs.find((rung) => rung.id === id);
  }

  next(id: number): Rung | undefined {
    return this.rungs.find((rung) => rung.id > id);
  }

  /** Orders levels by rank (the ladder's order), for comparisons such as "at least Gold". */
  rank(id: number): number {
    return this.rungs.findIndex((rung) => rung.id === id);
  }
}
