import { Command } from '@nestjs/cqrs';
import type { JoinResult } from '@member-system/contracts';

/** `POST /campaigns/{campaignId}/join`, by the member of `userId`. */
export class JoinCampaignCommand extends Command<JoinResult> {
  constructor(
    readonly userId: string,
    readonly campaignId: string,
  ) {
    super();
  }
}
