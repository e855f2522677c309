import { Query } from '@nestjs/cqrs';
import type { CampaignView, CampaignsQueryDto, Page } from '@member-system/contracts';

/** `GET /admin/campaigns` */
export class ListCampaignsQuery extends Query<Page<CampaignView>> {
  constructor(readonly query: CampaignsQueryDto) {
    super();
  }
}
