import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { ErrorCode } from '@member-system/contracts';
import type { CampaignView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { Clock } from '@member-system/shared/service';
import { CampaignTransitions } from '../../campaign-transitions';
import { PublishCampaignCommand } from './publish-campaign.command';

/** Publishes a draft, unless it has already ended. */
@CommandHandler(PublishCampaignCommand)
export class PublishCampaignHandler implements ICommandHandler<PublishCampaignCommand> {
  constructor(
    private readonly transitions: CampaignTransitions,
    private readonly clock: Clock,
  ) {}

  execute({ campaignId }: PublishCampaignCommand): Promise<CampaignView> {
    const now = this.clock.now();
    return this.transitions.transition(campaignId, ['draft'], 'published', (campaign) => {
      if (new Date(campaign.endAt) <= now) {
        throw new AppException(ErrorCode.CampaignStateConflict, 'The campaign has already ended', {
          endAt: campaign.endAt,
        });
      }
    });
  }
}
