// Which history rows each report figure counts (docs/api/contract.md, "Reports"), in one place so
// the monthly report and the top sources agree.

/** Issued: every earn, and admin adjustments that credit (a negative adjustment is not a use). */
export const ISSUED_ROW = `(type = 'earn' OR (type = 'adjust' AND points > 0))`;

/**
 * Used: spends and captured holds, net of restores (a cancelled order's spend given back), each
 * counted in the month its row was written.
 */
export const USED_TYPES = `'use', 'capture', 'restore'`;
