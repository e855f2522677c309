import { Command } from '@nestjs/cqrs';
import type { CampaignView, SaveCampaignDto } from '@member-system/contracts';

/** `POST /admin/campaigns`: a new draft. */
export class CreateCampaignCommand extends Command<CampaignView> {
  constructor(readonly campaign: SaveCampaignDto) {
    super();
  }
}
