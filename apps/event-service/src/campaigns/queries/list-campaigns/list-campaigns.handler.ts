import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import type { CampaignView, Page } from '@member-system/contracts';
import { ValidationFailedException } from '@member-system/shared/errors';
import { ReadDatabase } from '@member-system/shared/service';
import { CAMPAIGN_COLUMNS, campaignViewOf } from '../../campaign-rules';
import type { CampaignRow } from '../../campaign-rules';
import { ListCampaignsQuery } from './list-campaigns.query';

/** Every campaign, newest first, by status, in cursor pages. */
@QueryHandler(ListCampaignsQuery)
export class ListCampaignsHandler implements IQueryHandler<ListCampaignsQuery> {
  constructor(private readonly readDatabase: ReadDatabase) {}

  async execute({ query }: ListCampaignsQuery): Promise<Page<CampaignView>> {
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
    const rows = await this.readDatabase.query<CampaignRow[]>(
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
