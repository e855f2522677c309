import { Query } from '@nestjs/cqrs';
import type { CampaignView } from '@member-system/contracts';

/** `GET /campaigns`, for the member of `userId`. */
export class ListOpenCampaignsQuery extends Query<CampaignView[]> {
  constructor(readonly userId: string) {
    super();
  }
}
