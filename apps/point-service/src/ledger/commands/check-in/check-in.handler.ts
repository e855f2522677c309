import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { ErrorCode } from '@member-system/contracts';
import type { CheckInResult } from '@member-system/contracts';
import { DataSource } from 'typeorm';
import { isDuplicateKeyError, rowsOf, statement } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { Clock, businessDateOf, formatBusinessDate } from '@member-system/shared/service';
import { PointServiceConfig } from '../../../config/point-service.config';
import { AccountDirectory } from '../../account-directory';
import { Ledger } from '../../core/ledger';
import { checkInPoints } from '../../point-rules';
import { CheckInCommand } from './check-in.command';

/** One check-in per member per business day; every 7th consecutive day earns the streak bonus. */
@CommandHandler(CheckInCommand)
export class CheckInHandler implements ICommandHandler<CheckInCommand> {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  async execute({ userId }: CheckInCommand): Promise<CheckInResult> {
    const now = this.clock.now();
    const zone = this.config.BUSINESS_TIME_ZONE;
    const today = formatBusinessDate(businessDateOf(now, zone));
    const yesterday = formatBusinessDate(
      businessDateOf(new Date(now.getTime() - 86_400_000), zone),
    );
    try {
      const account = await this.accounts.ofUser(this.dataSource.manager, userId);
      let streak = 0;
      const credited = await this.ledger.earn(account, {
        source: 'check-in',
        sourceId: `${account.memberId}:${today}`,
        kind: 'earn:check-in',
        at: now,
        reads: {
          previous: statement(
            'SELECT streak FROM check_in WHERE member_id = ? AND business_date = ?',
            [account.memberId, yesterday],
          ),
        },
        points: ({ previous }) => {
          streak = (rowsOf<{ streak: number }>(previous)[0]?.streak ?? 0) + 1;
          return checkInPoints(
            streak,
            this.config.CHECK_IN_POINTS,
            this.config.CHECK_IN_STREAK_POINTS,
          );
        },
        alongside: (points) => [
          statement(
            'INSERT INTO check_in (member_id, business_date, streak, points) VALUES (?, ?, ?, ?)',
            [account.memberId, today, streak, points],
          ),
        ],
      });
      if (!credited) {
        throw new AppException(ErrorCode.AlreadyCheckedIn, 'Already checked in today', {
          businessDate: today,
        });
      }
      return { ...credited, streak, businessDate: today };
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
