import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BenefitLevelBenefitsChangedV1 } from '@member-system/contracts';
import { rowsOf, statement } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { EventConsumer } from '@member-system/shared/messaging';
import { PointServiceConfig } from '../config/point-service.config';
import { parseMultipliers } from './point-rules';

/**
 * The order-points multiplier of each level: the POINTS_MULTIPLIER benefit benefit-service last
 * announced for it (`benefit.level-benefits-changed.v1`, newest version kept; none means 1.0),
 * so admins change it in one place and quotes and earning agree. Until benefit-service has
 * announced a level, `LEVEL_POINTS_MULTIPLIERS` says.
 */
@Injectable()
export class LevelMultipliers implements OnModuleInit {
  private readonly defaults: Map<number, number>;

  constructor(
    private readonly consumer: EventConsumer,
    @Inject(PointServiceConfig) config: PointServiceConfig,
  ) {
    this.defaults = parseMultipliers(config.LEVEL_POINTS_MULTIPLIERS);
  }

  onModuleInit(): void {
    this.consumer.on('benefit.level-benefits-changed.v1', (payload, { manager }) =>
      this.record(manager, payload),
    );
  }

  /** The read of a level's multiplier, to send with other statements (`queryTogether`). */
  statementFor(levelId: number): Statement {
    return statement('SELECT hundredths FROM level_multiplier WHERE level_id = ?', [levelId]);
  }

  /** In hundredths (1.5 is 150), from what `statementFor(levelId)` answered. */
  fromAnswer(levelId: number, answer: unknown): number {
    const [row] = rowsOf<{ hundredths: number | string }>(answer);
    return row ? Number(row.hundredths) : (this.defaults.get(levelId) ?? 100);
  }

  /** In hundredths, of each of `levelIds`: one read for a batch of orders. */
  async of(manager: EntityManager, levelIds: readonly number[]): Promise<Map<number, number>> {
    const rows = await manager.query<Array<{ level_id: number; hundredths: number | string }>>(
      'SELECT level_id, hundredths FROM level_multiplier WHERE level_id IN (?)',
      [levelIds],
    );
    const announced = new Map(rows.map((row) => [Number(row.level_id), Number(row.hundredths)]));
    return new Map(
      levelIds.map((levelId) => [
        levelId,
        announced.get(levelId) ?? this.defaults.get(levelId) ?? 100,
      ]),
    );
  }

  private async record(
    manager: EntityManager,
    change: BenefitLevelBenefitsChangedV1,
  ): Promise<void> {
    const multipliers = change.benefits
      .filter((benefit) => benefit.type === 'POINTS_MULTIPLIER')
      .map((benefit) => Math.round(Number(benefit.params['multiplier']) * 100))
      .filter((hundredths) => Number.isFinite(hundredths) && hundredths >= 100);
    const hundredths = Math.max(100, ...multipliers);
    await manager.query(
      `INSERT INTO level_multiplier (level_id, hundredths, version) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE
         hundredths = IF(VALUES(version) > version, VALUES(hundredths), hundredths),
         version = GREATEST(version, VALUES(version))`,
      [change.levelId, hundredths, change.version],
    );
  }
}
