import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ErrorCode, PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import type { CampaignView, Page } from '@member-system/contracts';
import { Keyset, acceptedRows } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { Clock, MemberLevelProjection, ReadDatabase } from '@member-system/shared/service';
import { CampaignEligibility } from '../../campaign-eligibility';
import { CAMPAIGN_COLUMNS, campaignViewOf } from '../../campaign-rules';
import type { CampaignRow } from '../../campaign-rules';
import { ListOpenCampaignsQuery } from './list-open-campaigns.query';

/** Earliest start first, served by ix_campaign_open. */
const BY_START = new Keyset<CampaignView>(
  [
    { column: 'start_at', kind: 'time' },
    { column: 'id', kind: 'id' },
  ],
  'ASC',
  (campaign) => [new Date(campaign.startAt), campaign.id],
);

/** Published campaigns, within their window, that this member may join, a page at a time. */
@QueryHandler(ListOpenCampaignsQuery)
export class ListOpenCampaignsHandler implements IQueryHandler<ListOpenCampaignsQuery> {
  constructor(
    private readonly readDatabase: ReadDatabase,
    private readonly eligibility: CampaignEligibility,
    private readonly members: MemberLevelProjection,
    private readonly primary: DataSource,
    private readonly clock: Clock,
  ) {}

  execute({ userId, page }: ListOpenCampaignsQuery): Promise<Page<CampaignView>> {
    const limit = page.limit ?? PAGE_LIMIT_DEFAULT;
    return this.readDatabase.read(async (manager) => {
      // A member who registered a moment ago may be unknown to this copy still: asked of
      // member-service (and recorded on the primary), so a member who exists never gets a 404.
      const member =
        (await this.members.of(manager, { userId })) ??
        (await this.members.find(this.primary.manager, { userId }));
      if (!member) throw new AppException(ErrorCode.MemberNotFound, 'Register as a member first');
      const now = this.clock.now();
      const open = await acceptedRows(
        BY_START,
        page.cursor,
        async (after, batch) => {
          const start = after === undefined ? undefined : BY_START.after(after);
          const rows = await manager.query<CampaignRow[]>(
            `SELECT ${CAMPAIGN_COLUMNS} FROM campaign
              WHERE status = 'published' AND start_at <= ? AND end_at > ?
                    ${start ? `AND ${start.sql}` : ''}
              ORDER BY ${BY_START.orderBy} LIMIT ?`,
            [now, now, ...(start?.params ?? []), batch],
          );
          return rows.map(campaignViewOf);
        },
        async (campaigns) => {
          const eligible: CampaignView[] = [];
          for (const campaign of campaigns) {
            if (!(await this.eligibility.whyNot(manager, campaign, member)))
              eligible.push(campaign);
          }
          return eligible;
        },
        limit,
      );
      return BY_START.page(open, limit, (campaign) => campaign);
    });
  }
}
