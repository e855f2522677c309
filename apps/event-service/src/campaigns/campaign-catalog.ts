import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { CampaignView } from '@member-system/contracts';
import { TwoLevelCache } from '@member-system/shared/cache';
import type { CacheNamespace } from '@member-system/shared/cache';
import { AppException } from '@member-system/shared/errors';
import { CAMPAIGN_COLUMNS, campaignViewOf } from './campaign-rules';
import type { CampaignRow } from './campaign-rules';

/**
 * Campaign definitions, cached per the seed as `member:event:{id}` (1 h), dropped on every admin
 * change and when a campaign closes. How many joined changes all the time, so member views read it
 * live, never from the cache: through the caller's manager (a query's read connection). The cache
 * is always filled from the primary, as commands answer from it too. The campaigns open to a
 * member are read a page at a time (ListOpenCampaignsHandler), not from a cached list of every
 * published campaign, whose join counts had to be read live anyway.
 */
@Injectable()
export class CampaignCatalog {
  private readonly campaigns: CacheNamespace<CampaignView>;

  constructor(
    private readonly dataSource: DataSource,
    cache: TwoLevelCache,
  ) {
    this.campaigns = cache.namespace<CampaignView>('member:event', { redisTtlSeconds: 3600 });
  }

  async byId(
    campaignId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CampaignView> {
    const view = await this.campaigns.get(campaignId, async () => {
      const [row] = await this.dataSource.query<CampaignRow[]>(
        `SELECT ${CAMPAIGN_COLUMNS} FROM campaign WHERE id = ?`,
        [campaignId],
      );
      return row ? campaignViewOf(row) : null;
    });
    if (!view) throw notFound(campaignId);
    const [live] = await this.withLiveCounts([view], manager);
    return live ?? view;
  }

  /** The campaign row locked for a change (joins, transitions). */
  async lock(manager: EntityManager, campaignId: string): Promise<CampaignView> {
    const [row] = await manager.query<CampaignRow[]>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaign WHERE id = ? FOR UPDATE`,
      [campaignId],
    );
    if (!row) throw notFound(campaignId);
    return campaignViewOf(row);
  }

  async invalidate(campaignId: string): Promise<void> {
    await this.campaigns.invalidate(campaignId);
  }

  async invalidateMany(campaignIds: readonly string[]): Promise<void> {
    if (campaignIds.length === 0) return;
    await this.campaigns.invalidateMany(campaignIds);
  }

  private async withLiveCounts(
    views: CampaignView[],
    manager: EntityManager,
  ): Promise<CampaignView[]> {
    if (views.length === 0) return views;
    const rows = await manager.query<Array<{ id: string; joined: number; status: string }>>(
      'SELECT id, joined, status FROM campaign WHERE id IN (?)',
      [views.map((view) => view.id)],
    );
    const live = new Map(rows.map((row) => [String(row.id), row]));
    return views.map((view) => {
      const row = live.get(view.id);
      return row
        ? { ...view, joined: Number(row.joined), status: row.status as CampaignView['status'] }
        : view;
    });
  }
}

export function notFound(campaignId: string): AppException {
  return new AppException(ErrorCode.CampaignNotFound, 'No such campaign', { campaignId });
}
