import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@member-system/shared/service';
import { Ledger } from '../../core/ledger';
import { EarnCampaignPointsCommand } from './earn-campaign-points.command';

/** A campaign's points reward, once per participation. */
@CommandHandler(EarnCampaignPointsCommand)
export class EarnCampaignPointsHandler implements ICommandHandler<EarnCampaignPointsCommand> {
  constructor(
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {}

  async execute({ manager, granted, afterCommit }: EarnCampaignPointsCommand): Promise<void> {
    if (granted.reward.points) {
      await this.ledger.credit(
        manager,
        { memberId: granted.memberId, userId: granted.userId },
        {
          points: granted.reward.points,
          source: 'campaign',
          sourceId: granted.participationId,
          kind: 'earn:campaign',
          at: this.clock.now(),
        },
      );
    }
    afterCommit(() => this.ledger.committed(manager));
  }
}
