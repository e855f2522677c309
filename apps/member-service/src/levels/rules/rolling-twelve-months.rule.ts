import type { LevelRule, LevelRuleInput } from './level-rule';

/** Only orders completed in the last 12 months count (net of their refunds). */
export class RollingTwelveMonthsRule implements LevelRule {
  readonly name = 'rolling-12-months';
  readonly fromTotalAlone = false;

  async qualifyingSpendCents({ manager, memberId, asOf }: LevelRuleInput): Promise<number> {
    const since = new Date(asOf);
    since.setUTCFullYear(since.getUTCFullYear() - 1);
    const [row] = await manager.query<Array<{ spent: string | null }>>(
      `SELECT SUM(amount_cents - refunded_cents) AS spent FROM member_order
        WHERE member_id = ? AND completed_at > ? AND completed_at <= ?`,
      [memberId, since, asOf],
    );
    return Number(row?.spent ?? 0);
  }
}
