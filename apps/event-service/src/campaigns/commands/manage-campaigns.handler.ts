import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { CampaignStatus, CampaignView, SaveCampaignDto } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { CampaignCatalog } from '../campaign-catalog';
import { columnsOf } from '../campaign-rules';

/**
 * An admin's campaigns: created as drafts, edited while drafts, published, closed (early, or by
 * the `close-campaigns` job at their end). Each transition is checked under the campaign's lock.
 */
@Injectable()
export class ManageCampaignsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
  ) {}

  async create(campaign: SaveCampaignDto): Promise<CampaignView> {
    const inserted = await this.dataSource.query<{ insertId: number }>(
      `INSERT INTO campaign (title, description, start_at, end_at, capacity, min_level_id, exclusive, repeatable, completion, reward, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')`,
      columnsOf(campaign),
    );
    return this.catalog.byId(String(inserted.insertId));
  }

  async update(campaignId: string, campaign: SaveCampaignDto): Promise<CampaignView> {
    const columns = columnsOf(campaign);
    await withTransaction(this.dataSource, async (manager) => {
      const current = await this.catalog.lock(manager, campaignId);
      requireStatus(current, ['draft'], 'Only drafts can be edited');
      await manager.query(
        `UPDATE campaign SET title = ?, description = ?, start_at = ?, end_at = ?, capacity = ?,
                min_level_id = ?, exclusive = ?, repeatable = ?, completion = ?, reward = ? WHERE id = ?`,
        [...columns, campaignId],
      );
    });
    await this.catalog.invalidate(campaignId);
    return this.catalog.byId(campaignId);
  }

  publish(campaignId: string, now: Date): Promise<CampaignView> {
    return this.transition(campaignId, ['draft'], 'published', (campaign) => {
      if (new Date(campaign.endAt) <= now) {
        throw new AppException(ErrorCode.CampaignStateConflict, 'The campaign has already ended', {
          endAt: campaign.endAt,
        });
      }
    });
  }

  close(campaignId: string): Promise<CampaignView> {
    return this.transition(campaignId, ['published'], 'closed');
  }

  private async transition(
    campaignId: string,
    from: CampaignStatus[],
    to: CampaignStatus,
    check?: (campaign: CampaignView) => void,
  ): Promise<CampaignView> {
    await withTransaction(this.dataSource, async (manager) => {
      const campaign = await this.catalog.lock(manager, campaignId);
      if (campaign.status === to) return; // a repeat changes nothing
      requireStatus(campaign, from, `A ${campaign.status} campaign cannot become ${to}`);
      check?.(campaign);
      await manager.query('UPDATE campaign SET status = ? WHERE id = ?', [to, campaignId]);
    });
    await this.catalog.invalidate(campaignId);
    return this.catalog.byId(campaignId);
  }
}

export function requireStatus(
  campaign: CampaignView,
  allowed: CampaignStatus[],
  message: string,
): void {
  if (!allowed.includes(campaign.status)) {
    throw new AppException(ErrorCode.CampaignStateConflict, message, {
      status: campaign.status,
      allowed,
    });
  }
}
