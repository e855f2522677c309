import type { EntityManager } from 'typeorm';

export interface LevelRuleInput {
  manager: EntityManager;
  memberId: string;
  totalSpentCents: number;
  asOf: Date;
}

/**
 * What spend counts towards a member's level (the seed's MemberRuleEngine). A new rule is one
 * class added to LEVEL_RULES and chosen with LEVEL_RULE.
 */
export interface LevelRule {
  readonly name: string;
  /**
   * True when the qualifying spend is the member's total alone (no read of their orders), so a
   * batch of orders can be decided in memory, one after the other.
   */
  readonly fromTotalAlone: boolean;
  qualifyingSpendCents(input: LevelRuleInput): Promise<number>;
}
