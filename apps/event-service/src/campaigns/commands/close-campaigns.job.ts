import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobRegistry } from '@member-system/shared/service';
import type { Job } from '@member-system/shared/service';
import { CampaignCatalog } from '../campaign-catalog';

/** Every minute: published campaigns past their end close (joins stop; rewards can follow). */
@Injectable()
export class CloseCampaignsJob implements Job, OnModuleInit {
  readonly name = 'close-campaigns';
  readonly schedule = { everyMs: 60_000 };

  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async run(asOf: Date): Promise<Record<string, unknown>> {
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
