import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { BalanceView } from '@member-system/contracts';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../../ledger/account-directory';
import { PointsReadCache } from '../../../ledger/points-read-cache';
import type { Subject } from '@member-system/shared/service';
import { PointAccount } from '../../entities/point-account.entity';

const EXPIRING_SOON_DAYS = 30;

@Injectable()
export class GetBalanceHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly cache: PointsReadCache,
  ) {}

  /** Points in lots that expire within the next 30 days. */
  private async expiringSoon(memberId: string): Promise<{ points: number; before: string }> {
    const now = this.clock.now();
    const before = new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
    const [row] = await this.dataSource.query<Array<{ points: string | null }>>(
      `SELECT SUM(remaining) AS points FROM point_lot
        WHERE member_id = ? AND remaining > 0 AND expires_at > ? AND expires_at <= ?`,
      [memberId, now, before],
    );
    return { points: Number(row?.points ?? 0), before: before.toISOString() };
  }

  async of(subject: Subject): Promise<BalanceView> {
    const { memberId } = await this.accounts.of(this.dataSource.manager, subject);
    const balance = await this.cache.balance(memberId, () => this.load(memberId));
    return balance ?? this.load(memberId);
  }

  private async load(memberId: string): Promise<BalanceView> {
    const account = await this.dataSource
      .getRepository(PointAccount)
      .findOneOrFail({ where: { memberId } });
    return {
      available: account.available,
      frozen: account.frozen,
      pending: account.pending,
      held: account.held,
      debt: account.debt,
      expiringSoon: await this.expiringSoon(account.memberId),
      lifetimeEarned: account.lifetimeEarned,
      lifetimeUsed: account.lifetimeUsed,
      lifetimeExpired: account.lifetimeExpired,
    };
  }
}
