import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { CampaignStatus, CampaignView } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { CampaignCatalog } from './campaign-catalog';

/**
 * A campaign's status moves draft → published → closed → settled. Each transition is checked
 * under the campaign's lock; a repeat changes nothing.
 */
@Injectable()
export class CampaignTransitions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
  ) {}

  async transition(
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
