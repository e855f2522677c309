import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { CampaignView } from '@member-system/contracts';
import { CampaignTransitions } from '../../campaign-transitions';
import { CloseCampaignCommand } from './close-campaign.command';

/** Closes a published campaign: joins stop; rewards can follow. */
@CommandHandler(CloseCampaignCommand)
export class CloseCampaignHandler implements ICommandHandler<CloseCampaignCommand> {
  constructor(private readonly transitions: CampaignTransitions) {}

  execute({ campaignId }: CloseCampaignCommand): Promise<CampaignView> {
    return this.transitions.transition(campaignId, ['published'], 'closed');
  }
}
