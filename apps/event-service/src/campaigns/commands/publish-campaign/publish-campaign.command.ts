import { Command } from '@nestjs/cqrs';
import type { CampaignView } from '@member-system/contracts';

/** `POST /admin/campaigns/{campaignId}/publish`: a draft opens for joining. */
export class PublishCampaignCommand extends Command<CampaignView> {
  constructor(readonly campaignId: string) {
    super();
  }
}
