import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@member-system/shared/messaging';
import { PointServiceConfig } from '../../../config/point-service.config';
import { Ledger } from '../../core/ledger';
import type { AccountRef } from '../../core/ledger';
import { Expiry } from '../../core/expiry';
import { ExpirePointsCommand } from './expire-points.command';

const DAY_MS = 86_400_000;

/**
 * Daily, just after midnight: lots past their expiry lose what remains (`points.expired.v1`, one
 * per member and expiry time), and members hear of points expiring within each lead time
 * (`points.expiring-soon.v1`, once per member, expiry time and lead time). Each member is one
 * short transaction under the account lock, so the job can run beside spends and earns.
 */
@CommandHandler(ExpirePointsCommand)
export class ExpirePointsHandler implements ICommandHandler<ExpirePointsCommand> {
  private readonly leadDays: number[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly expiry: Expiry,
    private readonly outbox: OutboxWriter,
    @Inject(PointServiceConfig) config: PointServiceConfig,
  ) {
    this.leadDays = config.POINTS_EXPIRY_NOTICE_DAYS.split(',').map((days) => Number(days.trim()));
  }

  async execute({ asOf }: ExpirePointsCommand): Promise<Record<string, unknown>> {
    let expiredPoints = 0;
    const due = await this.membersWithLots('expires_at <= ?', [asOf]);
    for (const account of due) {
      expiredPoints += await this.ledger.transact((manager) =>
        this.expiry.expire(manager, account, asOf),
      );
    }
    let reminders = 0;
    for (const lead of this.leadDays) {
      const horizon = new Date(asOf.getTime() + lead * DAY_MS);
      for (const account of await this.membersWithLots('expires_at > ? AND expires_at <= ?', [
        asOf,
        horizon,
      ])) {
        reminders += await this.ledger.transact((manager) =>
          this.remind(manager, account, asOf, horizon, lead),
        );
      }
    }
    return { members: due.length, expiredPoints, reminders };
  }

  private async membersWithLots(condition: string, params: unknown[]): Promise<AccountRef[]> {
    const rows = await this.dataSource.query<Array<{ member_id: string; user_id: string }>>(
      `SELECT DISTINCT l.member_id, a.user_id FROM point_lot l JOIN point_account a ON a.member_id = l.member_id
        WHERE l.remaining > 0 AND l.${condition}`,
      params,
    );
    return rows.map((row) => ({ memberId: String(row.member_id), userId: String(row.user_id) }));
  }

  private async remind(
    manager: EntityManager,
    account: AccountRef,
    asOf: Date,
    horizon: Date,
    lead: number,
  ): Promise<number> {
    const groups = await manager.query<Array<{ expires_at: Date; points: string }>>(
      `SELECT expires_at, SUM(remaining) AS points FROM point_lot
        WHERE member_id = ? AND remaining > 0 AND expires_at > ? AND expires_at <= ? GROUP BY expires_at`,
      [account.memberId, asOf, horizon],
    );
    let sent = 0;
    for (const group of groups) {
      const inserted = await manager.query<{ affectedRows: number }>(
        'INSERT IGNORE INTO point_expiry_notice (member_id, expires_at, lead_days, points) VALUES (?, ?, ?, ?)',
        [account.memberId, group.expires_at, lead, group.points],
      );
      if (inserted.affectedRows === 0) continue;
      await this.outbox.add(manager, 'points.expiring-soon.v1', {
        memberId: account.memberId,
        userId: account.userId,
        points: Number(group.points),
        expiresAt: group.expires_at.toISOString(),
        leadDays: lead,
      });
      sent += 1;
    }
    return sent;
  }
}
