import { Command } from '@nestjs/cqrs';
import type { CampaignView } from '@member-system/contracts';

/** `POST /admin/campaigns/{campaignId}/close`: an admin closes a campaign early. */
export class CloseCampaignCommand extends Command<CampaignView> {
  constructor(readonly campaignId: string) {
    super();
  }
}
