import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { withTransaction } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { businessDateOf, formatBusinessDate, isLeapYear } from '@member-system/shared/service';
import { MemberServiceConfig } from '../../../config/member-service.config';
import { GreetBirthdaysCommand } from './greet-birthdays.command';
import type { BirthdayGreetingsReport } from './greet-birthdays.command';

const BATCH_SIZE = 500;

/** The month-days celebrated on a business date: 29 February birthdays fall on the 28th in common years. */
export function birthdaysCelebratedOn(year: number, month: number, day: number): string[] {
  const monthDay = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return monthDay === '02-28' && !isLeapYear(year) ? ['02-28', '02-29'] : [monthDay];
}

/**
 * `member.birthday.v1` for every member whose birthday it is, once per member per year (the
 * greeting row is the key), so a rerun, a second replica or an admin's run greets nobody twice.
 */
@CommandHandler(GreetBirthdaysCommand)
export class GreetBirthdaysHandler implements ICommandHandler<GreetBirthdaysCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(MemberServiceConfig) private readonly config: MemberServiceConfig,
  ) {}

  async execute({ asOf }: GreetBirthdaysCommand): Promise<BirthdayGreetingsReport> {
    const today = businessDateOf(asOf, this.config.BUSINESS_TIME_ZONE);
    const monthDays = birthdaysCelebratedOn(today.year, today.month, today.day);
    const date = formatBusinessDate(today);
    let afterId = '0';
    let candidates = 0;
    let greeted = 0;
    for (;;) {
      const batch = await this.dataSource.query<
        Array<{ id: string; user_id: string; level_id: number }>
      >(
        `SELECT id, user_id, level_id FROM member
          WHERE birthday_month_day IN (?) AND erased_at IS NULL AND id > ? ORDER BY id LIMIT ?`,
        [monthDays, afterId, BATCH_SIZE],
      );
      if (batch.length === 0) break;
      greeted += await withTransaction(this.dataSource, async (manager) => {
        let greetedInBatch = 0;
        for (const member of batch) {
          const inserted = await manager.query<{ affectedRows: number }>(
            'INSERT IGNORE INTO birthday_greeting (member_id, year, greeted_on) VALUES (?, ?, ?)',
            [member.id, today.year, date],
          );
          if (inserted.affectedRows === 0) continue;
          await this.outbox.add(manager, 'member.birthday.v1', {
            memberId: member.id,
            userId: member.user_id,
            levelId: member.level_id,
            year: today.year,
            date,
          });
          greetedInBatch += 1;
        }
        return greetedInBatch;
      });
      candidates += batch.length;
      afterId = batch[batch.length - 1]?.id ?? afterId;
    }
    return { date, monthDays, candidates, greeted };
  }
}
