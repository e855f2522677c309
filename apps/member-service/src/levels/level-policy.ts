import type { LevelLadder } from './level-ladder';

/** `never`: a member keeps the highest level reached. `immediate`: the level follows spend down too. */
export const DOWNGRADE_POLICIES = ['never', 'immediate'] as const;
export type DowngradePolicy = (typeof DOWNGRADE_POLICIES)[number];

export interface LevelDecisionInput {
  currentLevelId: number;
  /** The level the qualifying spend reaches now. */
  earnedLevelId: number;
  /** The admin's floor, if any: automatic changes never go below it. */
  floorLevelId: number | null;
  policy: DowngradePolicy;
}

/** The seed's calculate_member_level, after the rule has said what the spend earns. */
export function decideLevel(ladder: LevelLadder, input: LevelDecisionInput): number {
  const { currentLevelId, earnedLevelId, floorLevelId, policy } = input;
  const higher = (a: number, b: number): number => (ladder.rank(a) >= ladder.rank(b) ? a : b);
  let target = policy === 'never' ? higher(currentLevelId, earnedLevelId) : earnedLevelId;
  if (floorLevelId !== null) target = higher(target, floorLevelId);
  // A level removed from the ladder no longer counts as "kept".
  return ladder.get(target) ? target : earnedLevelId;
}
