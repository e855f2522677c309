import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { BalanceView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { PointAccount } from '../../entities/point-account.entity';

@Injectable()
export class GetBalanceHandler {
  constructor(private readonly dataSource: DataSource) {}

  async byUserId(userId: string): Promise<BalanceView> {
    const account = await this.dataSource
      .getRepository(PointAccount)
      .findOne({ where: { userId } });
    if (!account) {
      throw new AppException(
        ErrorCode.PointAccountNotFound,
        'No points account: register as a member first',
        {
          userId,
        },
      );
    }
    return {
      available: account.available,
      frozen: account.frozen,
      pending: account.pending,
      held: account.held,
      debt: account.debt,
      // Lots and expiry arrive with the ledger; until then nothing can expire.
      expiringSoon: { points: 0, before: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      lifetimeEarned: account.lifetimeEarned,
      lifetimeUsed: account.lifetimeUsed,
      lifetimeExpired: account.lifetimeExpired,
    };
  }
}
