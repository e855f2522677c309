import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode, formatCents } from '@member-system/contracts';
import type { BenefitStatsQueryDto, BenefitStatsView, StatsPeriod } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { Subject } from '@member-system/shared/service';
import { MemberLevels } from '../../member-levels/member-levels';
import { BenefitCatalog } from '../benefit-catalog';

const PERIOD_FORMATS: Record<StatsPeriod, string> = {
  day: '%Y-%m-%d',
  month: '%Y-%m',
  year: '%Y',
};

/** Uses and amounts per benefit and business period (cancelled uses do not count). */
@Injectable()
export class BenefitStatsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly levels: MemberLevels,
    private readonly catalog: BenefitCatalog,
  ) {}

  /** `GET /benefits/me/stats` */
  async ofMember(subject: Subject, query: BenefitStatsQueryDto): Promise<BenefitStatsView> {
    const member = await this.levels.of(subject);
    return this.stats('u.member_id = ?', member.memberId, query);
  }

  /** `GET /admin/benefits/{benefitId}/stats`, every member together. */
  async ofBenefit(benefitId: string, query: BenefitStatsQueryDto): Promise<BenefitStatsView> {
    if (!(await this.catalog.viewById(benefitId))) {
      throw new AppException(ErrorCode.BenefitNotFound, 'No such benefit', { benefitId });
    }
    return this.stats('u.benefit_id = ?', benefitId, query);
  }

  private async stats(
    condition: string,
    value: string,
    query: BenefitStatsQueryDto,
  ): Promise<BenefitStatsView> {
    const period = query.period ?? 'month';
    const conditions = [condition, "u.status = 'used'"];
    const values: unknown[] = [PERIOD_FORMATS[period], value];
    if (query.from) {
      conditions.push('u.used_at >= ?');
      values.push(new Date(query.from));
    }
    if (query.to) {
      conditions.push('u.used_at < ?');
      values.push(new Date(query.to));
    }
    const rows = await this.dataSource.query<
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
