import { Injectable } from '@nestjs/common';
import { formatCents } from '@member-system/contracts';
import type { BenefitStatsQueryDto, BenefitStatsView, StatsPeriod } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';

const PERIOD_FORMATS: Record<StatsPeriod, string> = {
  day: '%Y-%m-%d',
  month: '%Y-%m',
  year: '%Y',
};

/** Uses and amounts per benefit and business period (cancelled uses do not count). */
@Injectable()
export class BenefitUsageStats {
  constructor(private readonly readDatabase: ReadDatabase) {}

  /** A member's uses (`u.member_id = ?`) or a benefit's (`u.benefit_id = ?`). */
  async of(
    condition: 'u.member_id = ?' | 'u.benefit_id = ?',
    value: string,
    query: BenefitStatsQueryDto,
  ): Promise<BenefitStatsView> {
    const period = query.period ?? 'month';
    const conditions: string[] = [condition, "u.status = 'used'"];
    const values: unknown[] = [PERIOD_FORMATS[period], value];
    if (query.from) {
      conditions.push('u.used_at >= ?');
      values.push(new Date(query.from));
    }
    if (query.to) {
      conditions.push('u.used_at < ?');
      values.push(new Date(query.to));
    }
    const rows = await this.readDatabase.query<
      Array<{
        benefit_id: string;
        type: string;
        name: string;
        period: string;
        uses: string;
        amount: string;
      }>
    >(
      `SELECT u.benefit_id, b.type, b.name, DATE_FORMAT(u.used_on, ?) AS period,
              COUNT(*) AS uses, SUM(u.amount_cents) AS amount
         FROM benefit_usage u JOIN benefit b ON b.id = u.benefit_id
        WHERE ${conditions.join(' AND ')}
        GROUP BY u.benefit_id, b.type, b.name, period
        ORDER BY period DESC, u.benefit_id`,
      values,
    );
    return {
      period,
      items: rows.map((row) => ({
        benefitId: String(row.benefit_id),
        type: row.type,
        name: row.name,
        period: row.period,
        uses: Number(row.uses),
        amount: formatCents(Number(row.amount)),
      })),
    };
  }
}
