import { Command } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { CampaignRewardGrantedV1 } from '@member-system/contracts';
import type { EventContext } from '@member-system/shared/messaging';

/** `campaign.reward-granted.v1`. */
export class EarnCampaignPointsCommand extends Command<void> {
  constructor(
    /** The event's transaction: its inbox claim and these writes commit together. */
    readonly manager: EntityManager,
    readonly granted: CampaignRewardGrantedV1,
    readonly afterCommit: EventContext['afterCommit'],
  ) {
    super();
  }
}
