import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ExpiringLotView } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import type { Subject } from '@member-system/shared/service';

/** `GET /points/me/expiring?days=30`: lots with points left that expire within the window, soonest first. */
@Injectable()
export class ListExpiringHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async of(subject: Subject, days: number): Promise<ExpiringLotView[]> {
    const { memberId } = await this.accounts.of(this.dataSource.manager, subject);
    const now = this.clock.now();
    const rows = await this.dataSource.query<
      Array<{ remaining: string; expires_at: Date; source: string; earned_at: Date }>
    >(
      `SELECT remaining, expires_at, source, earned_at FROM point_lot
        WHERE member_id = ? AND remaining > 0 AND expires_at > ? AND expires_at <= ?
        ORDER BY expires_at, earned_at, id LIMIT 500`,
      [memberId, now, new Date(now.getTime() + days * 86_400_000)],
    );
    return rows.map((row) => ({
      points: Number(row.remaining),
      expiresAt: row.expires_at.toISOString(),
      source: row.source,
      earnedAt: row.earned_at.toISOString(),
    }));
  }
}
