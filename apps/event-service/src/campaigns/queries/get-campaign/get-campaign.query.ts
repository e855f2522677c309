import { Query } from '@nestjs/cqrs';
import type { CampaignView } from '@member-system/contracts';

/** `GET /admin/campaigns/{campaignId}` */
export class GetCampaignQuery extends Query<CampaignView> {
  constructor(readonly campaignId: string) {
    super();
  }
}
