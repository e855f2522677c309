import { Query } from '@nestjs/cqrs';
import type { CampaignView, ListQueryDto, Page } from '@member-system/contracts';

/** `GET /campaigns`, for the member of `userId`. */
export class ListOpenCampaignsQuery extends Query<Page<CampaignView>> {
  constructor(
    readonly userId: string,
    readonly page: ListQueryDto,
  ) {
    super();
  }
}
