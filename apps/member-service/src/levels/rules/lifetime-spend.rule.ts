import type { LevelRule, LevelRuleInput } from './level-rule';

/** Everything ever spent, less refunds: the seed's rule and the default. */
export class LifetimeSpendRule implements LevelRule {
  readonly name = 'lifetime-spend';
  readonly fromTotalAlone = true;

  qualifyingSpendCents({ totalSpentCents }: LevelRuleInput): Promise<number> {
    return Promise.resolve(totalSpentCents);
  }
}
