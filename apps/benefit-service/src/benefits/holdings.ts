import type { EntityManager } from 'typeorm';
import { businessDateOf } from '@member-system/shared/service';

/** What a member holds that decides whether a benefit applies, besides their level. */
export interface Holdings {
  /** Benefits the member holds an available campaign grant of. */
  granted: Set<string>;
  /** Uses of each benefit counted in the period (absent: none). */
  used: Map<string, number>;
}

/**
 * The member's available grants and the period's quota uses in one round trip: a quote is read
 * on every cart change, and these two reads were half of its database time. Outside a
 * transaction, read them through HoldingsCache.
 */
export async function holdingsOf(
  manager: EntityManager,
  memberId: string,
  period: string,
): Promise<Holdings> {
  const rows = await manager.query<Array<{ benefit_id: string; used: string | number | null }>>(
    `SELECT benefit_id, NULL AS used FROM benefit_grant WHERE member_id = ? AND status = 'available'
     UNION ALL
     SELECT benefit_id, used FROM benefit_quota WHERE member_id = ? AND period = ?`,
    [memberId, memberId, period],
  );
  const holdings: Holdings = { granted: new Set(), used: new Map() };
  for (const row of rows) {
    if (row.used === null) holdings.granted.add(String(row.benefit_id));
    else holdings.used.set(String(row.benefit_id), Number(row.used));
  }
  return holdings;
}

/** `YYYY-MM` of the business month `at` falls in: a quota period. */
export function businessMonthOf(at: Date, timeZone: string): string {
  const day = businessDateOf(at, timeZone);
  return `${day.year}-${String(day.month).padStart(2, '0')}`;
}

/** The month before `period`, `period` and the month after. */
export function monthsAround(period: string): [string, string, string] {
  const [year, month] = period.split('-').map(Number);
  const format = (index: number): string =>
    `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  const index = (year ?? 0) * 12 + (month ?? 1) - 1;
  return [format(index - 1), format(index), format(index + 1)];
}
