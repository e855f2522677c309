import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { CampaignView } from '@member-system/contracts';
import { CampaignCatalog } from '../../campaign-catalog';
import { CampaignReferences } from '../../campaign-references';
import { columnsOf } from '../../campaign-rules';
import { CreateCampaignCommand } from './create-campaign.command';

/** An admin's campaign starts as a draft, once its reward and minimum level are known to exist. */
@CommandHandler(CreateCampaignCommand)
export class CreateCampaignHandler implements ICommandHandler<CreateCampaignCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
    private readonly references: CampaignReferences,
  ) {}

  async execute({ campaign }: CreateCampaignCommand): Promise<CampaignView> {
    await this.references.check(campaign);
    const inserted = await this.dataSource.query<{ insertId: number }>(
      `INSERT INTO campaign (title, description, start_at, end_at, capacity, min_level_id, exclusive, repeatable, completion, reward, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')`,
      columnsOf(campaign),
    );
    return this.catalog.byId(String(inserted.insertId));
  }
}
