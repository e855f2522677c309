import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { BenefitCatalog } from '../../../benefits/benefit-catalog';
import { BenefitEngine } from '../../../benefits/benefit-engine';
import type { BirthdayGiftParams } from '../../../benefits/plugins/birthday-gift.plugin';
import { GrantBirthdayGiftCommand } from './grant-birthday-gift.command';

/**
 * On `member.birthday.v1`: the BIRTHDAY_GIFT benefit of the member's level, once per member and
 * year, announced as `benefit.birthday-gift-granted.v1` for point-service to credit.
 */
@CommandHandler(GrantBirthdayGiftCommand)
export class GrantBirthdayGiftHandler implements ICommandHandler<GrantBirthdayGiftCommand> {
  constructor(
    private readonly catalog: BenefitCatalog,
    private readonly engine: BenefitEngine,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute({ manager, birthday }: GrantBirthdayGiftCommand): Promise<void> {
    const context = {
      memberId: birthday.memberId,
      levelId: birthday.levelId,
      orderAmountCents: null,
      shippingFeeCents: 0,
      now: this.clock.now(),
    };
    const gift = (await this.catalog.ofLevel(birthday.levelId)).find(
      (benefit) =>
        benefit.type === 'BIRTHDAY_GIFT' &&
        this.engine.applicability(benefit, context, 0).applicable,
    );
    if (!gift) return;
    const points = (gift.params as unknown as BirthdayGiftParams).points;
    const inserted = await manager.query<{ affectedRows: number }>(
      'INSERT IGNORE INTO birthday_gift (member_id, year, benefit_id, points) VALUES (?, ?, ?, ?)',
      [birthday.memberId, birthday.year, gift.id, points],
    );
    if (inserted.affectedRows !== 1) return;
    await this.outbox.add(manager, 'benefit.birthday-gift-granted.v1', {
      memberId: birthday.memberId,
      userId: birthday.userId,
      benefitId: gift.id,
      levelId: birthday.levelId,
      year: birthday.year,
      points,
    });
  }
}
