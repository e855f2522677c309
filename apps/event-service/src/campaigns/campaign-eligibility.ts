import { Inject, Injectable } from '@nestjs/common';
import { jsonColumn } from '@member-system/shared/database';
import type { EntityManager } from 'typeorm';
import type { CampaignView } from '@member-system/contracts';
import type { MemberLevelRow } from '@member-system/shared/service';
import { EventServiceConfig } from '../config/event-service.config';

/**
 * Who may join: members at or above the campaign's minimum level (level ids rise with the
 * ladder), and for exclusive campaigns members whose level holds the EXCLUSIVE_EVENT benefit, as
 * benefit-service last announced it (`benefit.level-benefits-changed.v1`); until it has announced
 * a level, `EXCLUSIVE_EVENT_LEVELS` says.
 */
@Injectable()
export class CampaignEligibility {
  private readonly defaultExclusiveLevels: Set<number>;

  constructor(@Inject(EventServiceConfig) config: EventServiceConfig) {
    this.defaultExclusiveLevels = new Set(config.EXCLUSIVE_EVENT_LEVELS.split(',').map(Number));
  }

  /** Why the member may not join, or undefined when they may. */
  async whyNot(
    manager: EntityManager,
    campaign: Pick<CampaignView, 'minLevelId' | 'exclusive'>,
    member: MemberLevelRow,
  ): Promise<Record<string, unknown> | undefined> {
    if (campaign.minLevelId !== null && member.levelId < campaign.minLevelId) {
      return { reason: 'LEVEL_TOO_LOW', minLevelId: campaign.minLevelId, levelId: member.levelId };
    }
    if (campaign.exclusive && !(await this.holdsExclusive(manager, member.levelId))) {
      return { reason: 'NOT_EXCLUSIVE_MEMBER', levelId: member.levelId };
    }
    return undefined;
  }

  private async holdsExclusive(manager: EntityManager, levelId: number): Promise<boolean> {
    const [row] = await manager.query<Array<{ types: unknown }>>(
      'SELECT types FROM level_benefit WHERE level_id = ?',
      [levelId],
    );
    if (!row) return this.defaultExclusiveLevels.has(levelId);
    return jsonColumn<string[]>(row.types).includes('EXCLUSIVE_EVENT');
  }
}
