import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { CampaignView } from '@member-system/contracts';
import { CampaignCatalog } from '../../campaign-catalog';
import { columnsOf } from '../../campaign-rules';
import { CreateCampaignCommand } from './create-campaign.command';

/** An admin's campaign starts as a draft. */
@CommandHandler(CreateCampaignCommand)
export class CreateCampaignHandler implements ICommandHandler<CreateCampaignCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
  ) {}

  async execute({ campaign }: CreateCampaignCommand): Promise<CampaignView> {
    const inserted = await this.dataSource.query<{ insertId: number }>(
      `INSERT INTO campaign (title, description, start_at, end_at, capacity, min_level_id, exclusive, repeatable, completion, reward, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')`,
      columnsOf(campaign),
    );
    return this.catalog.byId(String(inserted.insertId));
  }
}
