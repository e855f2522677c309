import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { CampaignView } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { CampaignCatalog } from '../../campaign-catalog';
import { CampaignReferences } from '../../campaign-references';
import { columnsOf } from '../../campaign-rules';
import { requireStatus } from '../../campaign-transitions';
import { UpdateCampaignCommand } from './update-campaign.command';

/** An admin edits a campaign while it is a draft (checked under the campaign's lock). */
@CommandHandler(UpdateCampaignCommand)
export class UpdateCampaignHandler implements ICommandHandler<UpdateCampaignCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
    private readonly references: CampaignReferences,
  ) {}

  async execute({ campaignId, campaign }: UpdateCampaignCommand): Promise<CampaignView> {
    // Asked before the campaign's lock is taken: an owner's answer may take up to the RPC timeout.
    await this.references.check(campaign);
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
}
