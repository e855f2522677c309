import { Inject, Injectable } from '@nestjs/common';
import type { CampaignView } from '@member-system/contracts';
import type { MemberLevelRow } from '@member-system/shared/service';
import { EventServiceConfig } from '../config/event-service.config';

/**
 * Who may join: members at or above the campaign's minimum level (level ids rise with the
 * ladder), and for exclusive campaigns members whose level holds the EXCLUSIVE_EVENT benefit.
 */
@Injectable()
export class CampaignEligibility {
  private readonly exclusiveLevels: Set<number>;

  constructor(@Inject(EventServiceConfig) config: EventServiceConfig) {
    this.exclusiveLevels = new Set(config.EXCLUSIVE_EVENT_LEVELS.split(',').map(Number));
  }

  /** Why the member may not join, or undefined when they may. */
  whyNot(
    campaign: Pick<CampaignView, 'minLevelId' | 'exclusive'>,
    member: MemberLevelRow,
  ): Record<string, unknown> | undefined {
    if (campaign.minLevelId !== null && member.levelId < campaign.minLevelId) {
      return { reason: 'LEVEL_TOO_LOW', minLevelId: campaign.minLevelId, levelId: member.levelId };
    }
    if (campaign.exclusive && !this.exclusiveLevels.has(member.levelId)) {
      return { reason: 'NOT_EXCLUSIVE_MEMBER', levelId: member.levelId };
    }
    return undefined;
  }
}
