import { Command } from '@nestjs/cqrs';

/** The `close-campaigns` job: published campaigns ended by `asOf` close. */
export class CloseEndedCampaignsCommand extends Command<{ closed: number; campaignIds: string[] }> {
  constructor(readonly asOf: Date) {
    super();
  }
}
