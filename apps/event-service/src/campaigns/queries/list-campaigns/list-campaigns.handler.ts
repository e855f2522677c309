import { QueryHandler } from '@nestjs/cqrs';
import type { IQueryHandler } from '@nestjs/cqrs';
import { PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import type { CampaignView, Page } from '@member-system/contracts';
import { Keyset } from '@member-system/shared/database';
import { ReadDatabase } from '@member-system/shared/service';
import { CAMPAIGN_COLUMNS, campaignViewOf } from '../../campaign-rules';
import type { CampaignRow } from '../../campaign-rules';
import { ListCampaignsQuery } from './list-campaigns.query';

const NEWEST_FIRST = new Keyset<CampaignRow>([{ column: 'id', kind: 'id' }], 'DESC', (row) => [
  String(row.id),
]);

/** Every campaign, newest first, by status, in cursor pages. */
@QueryHandler(ListCampaignsQuery)
export class ListCampaignsHandler implements IQueryHandler<ListCampaignsQuery> {
  constructor(private readonly readDatabase: ReadDatabase) {}

  async execute({ query }: ListCampaignsQuery): Promise<Page<CampaignView>> {
    const limit = query.limit ?? PAGE_LIMIT_DEFAULT;
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (query.status) {
      conditions.push('status = ?');
      values.push(query.status);
    }
    if (query.cursor) {
      const after = NEWEST_FIRST.after(query.cursor);
      conditions.push(after.sql);
      values.push(...after.params);
    }
    const rows = await this.readDatabase.query<CampaignRow[]>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaign ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY ${NEWEST_FIRST.orderBy} LIMIT ?`,
      [...values, limit + 1],
    );
    return NEWEST_FIRST.page(rows, limit, campaignViewOf);
  }
}
