import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { withTransaction } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { BenefitCatalog, benefitNotFound } from '../../benefit-catalog';
import { announceLevelBenefits } from '../../level-announcements';
import { RemoveBenefitCommand } from './remove-benefit.command';

/**
 * An admin removes a benefit. It is only marked, so its uses and statistics stay; its level's
 * benefits are announced in the same transaction, and their cache dropped before the reply.
 */
@CommandHandler(RemoveBenefitCommand)
export class RemoveBenefitHandler implements ICommandHandler<RemoveBenefitCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: BenefitCatalog,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ benefitId }: RemoveBenefitCommand): Promise<void> {
    const levelId = await withTransaction(this.dataSource, async (manager) => {
      const [row] = await manager.query<Array<{ level_id: number }>>(
        'SELECT level_id FROM benefit WHERE id = ? AND deleted_at IS NULL FOR UPDATE',
        [benefitId],
      );
      if (!row) throw benefitNotFound(benefitId);
      await manager.query(
        'UPDATE benefit SET deleted_at = CURRENT_TIMESTAMP(3), enabled = 0 WHERE id = ?',
        [benefitId],
      );
      await announceLevelBenefits(manager, this.outbox, Number(row.level_id));
      return Number(row.level_id);
    });
    await this.catalog.invalidateLevels(levelId);
  }
}
