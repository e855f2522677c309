import { Command } from '@nestjs/cqrs';
import type { CampaignView, SaveCampaignDto } from '@member-system/contracts';

/** `PUT /admin/campaigns/{campaignId}` */
export class UpdateCampaignCommand extends Command<CampaignView> {
  constructor(
    readonly campaignId: string,
    readonly campaign: SaveCampaignDto,
  ) {
    super();
  }
}
