import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { BalanceView } from '@member-system/contracts';
import { ErrorCode } from '@member-system/contracts';
import { bigintToNumber } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { Clock, ReadDatabase } from '@member-system/shared/service';
import { AccountDirectory } from '../../../ledger/account-directory';
import { PointsReadCache } from '../../../ledger/points-read-cache';
import { GetBalanceQuery } from './get-balance.query';

const EXPIRING_SOON_DAYS = 30;

type BalanceColumns =
  | 'available'
  | 'frozen'
  | 'pending'
  | 'held'
  | 'debt'
  | 'lifetime_earned'
  | 'lifetime_used'
  | 'lifetime_expired'
  | 'expiring_soon';
type BalanceRow = Record<BalanceColumns, string | null>;

@QueryHandler(GetBalanceQuery)
export class GetBalanceHandler implements IQueryHandler<GetBalanceQuery> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly readDatabase: ReadDatabase,
    private readonly clock: Clock,
    private readonly cache: PointsReadCache,
  ) {}

  async execute({ subject }: GetBalanceQuery): Promise<BalanceView> {
    const { memberId } = await this.accounts.forQuery(this.readDatabase, subject);
    const balance = await this.cache.balance(memberId, () => this.load(memberId));
    return balance ?? this.load(memberId);
  }

  /**
   * The account and the points in lots that expire within the next 30 days, in one statement: a
   * cache miss is one round trip.
   */
  private async load(memberId: string): Promise<BalanceView> {
    const now = this.clock.now();
    const before = new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
    const [row] = await this.readDatabase.query<BalanceRow[]>(
      `SELECT a.available, a.frozen, a.pending, a.held, a.debt,
              a.lifetime_earned, a.lifetime_used, a.lifetime_expired,
              (SELECT SUM(l.remaining) FROM point_lot l
                WHERE l.member_id = a.member_id AND l.remaining > 0
                  AND l.expires_at > ? AND l.expires_at <= ?) AS expiring_soon
         FROM point_account a WHERE a.member_id = ?`,
      [now, before, memberId],
    );
    if (!row) {
      throw new AppException(ErrorCode.PointAccountNotFound, 'No points account', { memberId });
    }
    const points = (column: BalanceColumns): number => bigintToNumber(row[column]) ?? 0;
    return {
      available: points('available'),
      frozen: points('frozen'),
      pending: points('pending'),
      held: points('held'),
      debt: points('debt'),
      expiringSoon: { points: points('expiring_soon'), before: before.toISOString() },
      lifetimeEarned: points('lifetime_earned'),
      lifetimeUsed: points('lifetime_used'),
      lifetimeExpired: points('lifetime_expired'),
    };
  }
}
