import { Matches } from 'class-validator';
import { MONEY_PATTERN } from '../common/money';

/**
 * Money on the wire (docs/api/contract.md, "Conventions"): `"199.00"` passes; `"199.9"`, `"199"`, `"-1.00"` and
 * the number `199` do not. Same pattern as `parseMoney`, so a valid payload always parses.
 */
export function IsMoney(): PropertyDecorator {
  return Matches(MONEY_PATTERN, {
    message: '$property must be a decimal string with two places, e.g. "199.00"',
  });
}

/** Money is CNY only; an order in another currency is a contract change, not a silent credit. */
export const CURRENCIES = ['CNY'] as const;
export type Currency = (typeof CURRENCIES)[number];
