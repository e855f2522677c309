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
  qualifyingSpendCents(input: LevelRuleInput): Promise<number>;
}
