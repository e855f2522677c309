import type { LevelRule } from './level-rule';
import { LifetimeSpendRule } from './lifetime-spend.rule';
import { RollingTwelveMonthsRule } from './rolling-twelve-months.rule';

/** Every rule a deployment can choose with LEVEL_RULE. */
export const LEVEL_RULES: ReadonlyArray<new () => LevelRule> = [
  LifetimeSpendRule,
  RollingTwelveMonthsRule,
];
export const LEVEL_RULE_NAMES = LEVEL_RULES.map((Rule) => new Rule().name);

export function levelRuleNamed(name: string): LevelRule {
  const rule = LEVEL_RULES.map((Rule) => new Rule()).find((candidate) => candidate.name === name);
  if (!rule) throw new Error(`Unknown level rule "${name}"; known: ${LEVEL_RULE_NAMES.join(', ')}`);
  return rule;
}

/** Nest token of the rule in force. */
export const LEVEL_RULE = Symbol('LEVEL_RULE');
