import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@member-system/contracts';
import type { CheckInResult } from '@member-system/contracts';
import { isDuplicateKeyError, rowsOf, statement, writeOf } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { Clock, businessDateOf, formatBusinessDate } from '@member-system/shared/service';
import { PointServiceConfig } from '../../../config/point-service.config';
import { AccountDirectory } from '../../account-directory';
import { Ledger } from '../../ledger';
import { checkInPoints } from '../../point-rules';

/** One check-in per member per business day; every 7th consecutive day earns the streak bonus. */
@Injectable()
export class CheckInHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  async execute(userId: string): Promise<CheckInResult> {
    const now = this.clock.now();
    const zone = this.config.BUSINESS_TIME_ZONE;
    const today = formatBusinessDate(businessDateOf(now, zone));
    const yesterday = formatBusinessDate(
      businessDateOf(new Date(now.getTime() - 86_400_000), zone),
    );
    try {
      return await this.ledger.transact(async (manager) => {
        const account = await this.accounts.ofUser(manager, userId);
        const kind = 'earn:check-in';
        const sourceId = `${account.memberId}:${today}`;
        const {
          locked,
          answers: [previous, claimed],
        } = await this.ledger.lockWith(manager, account, [
          statement('SELECT streak FROM check_in WHERE member_id = ? AND business_date = ?', [
            account.memberId,
            yesterday,
          ]),
          this.ledger.claimStatement(kind, sourceId, account.memberId),
        ]);
        if (writeOf(claimed).affectedRows !== 1) {
          throw new AppException(ErrorCode.AlreadyCheckedIn, 'Already checked in today', {
            businessDate: today,
          });
        }
        const streak = (rowsOf<{ streak: number }>(previous)[0]?.streak ?? 0) + 1;
        const points = checkInPoints(
          streak,
          this.config.CHECK_IN_POINTS,
          this.config.CHECK_IN_STREAK_POINTS,
        );
        const credited = await this.ledger.creditClaimed(
          manager,
          locked,
          { points, source: 'check-in', sourceId, kind, at: now },
          [
            statement(
              'INSERT INTO check_in (member_id, business_date, streak, points) VALUES (?, ?, ?, ?)',
              [account.memberId, today, streak, points],
            ),
          ],
        );
        return { ...credited, streak, businessDate: today };
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new AppException(ErrorCode.AlreadyCheckedIn, 'Already checked in today', {
          businessDate: today,
        });
      }
      throw error;
    }
  }
}
