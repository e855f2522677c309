import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { ErrorCode } from '@member-system/contracts';
import type { CampaignView } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { Clock, MemberLevelProjection, ReadDatabase } from '@member-system/shared/service';
import { CampaignCatalog } from '../../campaign-catalog';
import { CampaignEligibility } from '../../campaign-eligibility';
import { isWithin } from '../../campaign-rules';
import { ListOpenCampaignsQuery } from './list-open-campaigns.query';

/** Published campaigns, within their window, that this member may join. */
@QueryHandler(ListOpenCampaignsQuery)
export class ListOpenCampaignsHandler implements IQueryHandler<ListOpenCampaignsQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly catalog: CampaignCatalog,
    private readonly eligibility: CampaignEligibility,
    private readonly members: MemberLevelProjection,
    private readonly clock: Clock,
  ) {}

  execute({ userId }: ListOpenCampaignsQuery): Promise<CampaignView[]> {
    return this.readDatabase.read(async (manager) => {
      const member = await this.members.of(manager, { userId });
      if (!member) throw new AppException(ErrorCode.MemberNotFound, 'Register as a member first');
      const now = this.clock.now();
      const open: CampaignView[] = [];
      for (const campaign of await this.catalog.published(manager)) {
        if (!isWithin(campaign, now)) continue;
        const whyNot = await this.eligibility.whyNot(manager, campaign, member);
        if (!whyNot) open.push(campaign);
      }
      return open;
    });
  }
}
