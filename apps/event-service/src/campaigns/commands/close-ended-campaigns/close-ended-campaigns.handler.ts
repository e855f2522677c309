import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CampaignCatalog } from '../../campaign-catalog';
import { CloseEndedCampaignsCommand } from './close-ended-campaigns.command';

/** Published campaigns past their end close (joins stop; rewards can follow). */
@CommandHandler(CloseEndedCampaignsCommand)
export class CloseEndedCampaignsHandler implements ICommandHandler<CloseEndedCampaignsCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
  ) {}

  async execute({
    asOf,
  }: CloseEndedCampaignsCommand): Promise<{ closed: number; campaignIds: string[] }> {
    const due = await this.dataSource.query<Array<{ id: string }>>(
      "SELECT id FROM campaign WHERE status = 'published' AND end_at <= ?",
      [asOf],
    );
    const ids = due.map((row) => String(row.id));
    if (ids.length > 0) {
      await this.dataSource.query(
        "UPDATE campaign SET status = 'closed' WHERE id IN (?) AND status = 'published'",
        [ids],
      );
    }
    await this.catalog.invalidateMany(ids);
    return { closed: ids.length, campaignIds: ids };
  }
}
