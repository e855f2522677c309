import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { CampaignRewardGrantedV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** `campaign.reward-granted.v1`: a campaign's benefit reward, in the event's transaction. */
export class RecordGrantCommand extends Command<void> {
  constructor(
    readonly manager: EntityManager,
    readonly afterCommit: EventContext['afterCommit'],
    readonly granted: CampaignRewardGrantedV1,
  ) {
    super();
  }
}
