import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { jsonColumn } from '@member-system/shared/database';
import type { EntityManager } from 'typeorm';
import type { BenefitLevelBenefitsChangedV1, CampaignView } from '@member-system/contracts';
import { EventConsumer } from '@member-system/shared/messaging';
import type { MemberLevelRow } from '@member-system/shared/service';
import { EventServiceConfig } from '../config/event-service.config';

/**
 * Who may join: members at or above the campaign's minimum level (level ids rise with the
 * ladder), and for exclusive campaigns members whose level holds the EXCLUSIVE_EVENT benefit, as
 * benefit-service last announced it (`benefit.level-benefits-changed.v1`); until it has announced
 * a level, `EXCLUSIVE_EVENT_LEVELS` says.
 */
@Injectable()
export class CampaignEligibility implements OnModuleInit {
  private readonly defaultExclusiveLevels: Set<number>;

  constructor(
    private readonly consumer: EventConsumer,
    @Inject(EventServiceConfig) config: EventServiceConfig,
  ) {
    this.defaultExclusiveLevels = new Set(config.EXCLUSIVE_EVENT_LEVELS.split(',').map(Number));
  }

  onModuleInit(): void {
    this.consumer.on('benefit.level-benefits-changed.v1', (payload, { manager }) =>
      this.record(manager, payload),
    );
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

  private async record(
    manager: EntityManager,
    change: BenefitLevelBenefitsChangedV1,
  ): Promise<void> {
    const types = [...new Set(change.benefits.map((benefit) => benefit.type))].sort();
    await manager.query(
      `INSERT INTO level_benefit (level_id, types, version) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE
         types = IF(VALUES(version) > version, VALUES(types), types),
         version = GREATEST(version, VALUES(version))`,
      [change.levelId, JSON.stringify(types), change.version],
    );
  }
}
