import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { CampaignView } from '@member-system/contracts';
import { ReadDatabase } from '@member-system/shared/service';
import { CampaignCatalog } from '../../campaign-catalog';
import { GetCampaignQuery } from './get-campaign.query';

/** One campaign, with its live join count. */
@QueryHandler(GetCampaignQuery)
export class GetCampaignHandler implements IQueryHandler<GetCampaignQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly catalog: CampaignCatalog,
  ) {}

  execute({ campaignId }: GetCampaignQuery): Promise<CampaignView> {
    return this.readDatabase.read((manager) => this.catalog.byId(campaignId, manager));
  }
}
