import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { CampaignView, CampaignsQueryDto, Page } from '@member-system/contracts';
import { AppException, ValidationFailedException } from '@member-system/shared/errors';
import { Clock, MemberLevelProjection } from '@member-system/shared/service';
import { CampaignCatalog } from '../campaign-catalog';
import { CampaignEligibility } from '../campaign-eligibility';
import { CAMPAIGN_COLUMNS, campaignViewOf, isWithin } from '../campaign-rules';
import type { CampaignRow } from '../campaign-rules';

@Injectable()
export class CampaignQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
    private readonly eligibility: CampaignEligibility,
    private readonly members: MemberLevelProjection,
    private readonly clock: Clock,
  ) {}

  /** `GET /campaigns`: published, within their window, and open to this member's level. */
  async openTo(userId: string): Promise<CampaignView[]> {
    const member = await this.members.of(this.dataSource.manager, { userId });
    if (!member) throw new AppException(ErrorCode.MemberNotFound, 'Register as a member first');
    const now = this.clock.now();
    const open: CampaignView[] = [];
    for (const campaign of await this.catalog.published()) {
      if (!isWithin(campaign, now)) continue;
      const whyNot = await this.eligibility.whyNot(this.dataSource.manager, campaign, member);
      if (!whyNot) open.push(campaign);
    }
    return open;
  }

  /** `GET /admin/campaigns`: newest first, by status, in cursor pages. */
  async list(query: CampaignsQueryDto): Promise<Page<CampaignView>> {
    const limit = query.limit ?? 20;
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (query.status) {
      conditions.push('status = ?');
      values.push(query.status);
    }
    if (query.cursor) {
      if (!/^\d{1,20}$/.test(query.cursor)) {
        throw new ValidationFailedException({ cursor: ['is not a cursor from this list'] });
      }
      conditions.push('id < ?');
      values.push(query.cursor);
    }
    const rows = await this.dataSource.query<CampaignRow[]>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaign ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT ?`,
      [...values, limit + 1],
    );
    const items = rows.slice(0, limit).map(campaignViewOf);
    return {
      items,
      nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null,
    };
  }
}
