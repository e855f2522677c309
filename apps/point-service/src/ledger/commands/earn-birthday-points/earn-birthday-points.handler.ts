import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@member-system/shared/service';
import { Ledger } from '../../core/ledger';
import { EarnBirthdayPointsCommand } from './earn-birthday-points.command';

/** The gift benefit-service granted from the level's BIRTHDAY_GIFT benefit, once a year. */
@CommandHandler(EarnBirthdayPointsCommand)
export class EarnBirthdayPointsHandler implements ICommandHandler<EarnBirthdayPointsCommand> {
  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  async execute({ manager, gift, afterCommit }: EarnBirthdayPointsCommand): Promise<void> {
    await this.ledger.credit(
      manager,
      { memberId: gift.memberId, userId: gift.userId },
      {
        points: gift.points,
        source: 'birthday',
        sourceId: `${gift.memberId}:${gift.year}`,
        kind: 'earn:birthday',
        at: this.clock.now(),
      },
    );
    afterCommit(() => this.ledger.committed(manager));
  }
}
