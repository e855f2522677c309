import { EventsHandler } from '@nestjs/cqrs';
import type { IEventHandler } from '@nestjs/cqrs';
import { Counter } from 'prom-client';
import { AppMetrics } from '@member-system/shared/observability';
import { MemberLevelUpgradedEvent } from './events/member-level-upgraded.event';

/** `member_level_upgrade_total{from_level,to_level}`: upgrades only, one per level change. */
@EventsHandler(MemberLevelUpgradedEvent)
export class LevelUpgradeCounter implements IEventHandler<MemberLevelUpgradedEvent> {
  private readonly upgrades: Counter<'from_level' | 'to_level'>;

  constructor(metrics: AppMetrics) {
    this.upgrades = new Counter({
      name: 'member_level_upgrade_total',
      help: 'members moved to a higher level',
      labelNames: ['from_level', 'to_level'],
      registers: [metrics.registry],
    });
  }

  handle({ fromLevelId, toLevelId }: MemberLevelUpgradedEvent): void {
    this.upgrades.inc({ from_level: String(fromLevelId), to_level: String(toLevelId) });
  }
}
