import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { BenefitView } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { BenefitCatalog, benefitNotFound } from '../../benefit-catalog';
import { announceLevelBenefits } from '../../level-announcements';
import { UpdateBenefitCommand } from './update-benefit.command';

/**
 * An admin redefines a benefit, possibly moving it to another level: both levels' benefits are
 * announced in the same transaction, and their cached benefits dropped before the reply.
 */
@CommandHandler(UpdateBenefitCommand)
export class UpdateBenefitHandler implements ICommandHandler<UpdateBenefitCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: BenefitCatalog,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ benefitId, definition }: UpdateBenefitCommand): Promise<BenefitView> {
    const values = this.catalog.columnsOf(definition);
    const previousLevel = await withTransaction(this.dataSource, async (manager) => {
      const [row] = await manager.query<Array<{ level_id: number }>>(
        'SELECT level_id FROM benefit WHERE id = ? AND deleted_at IS NULL FOR UPDATE',
        [benefitId],
      );
      if (!row) throw benefitNotFound(benefitId);
      await manager.query(
        `UPDATE benefit SET type = ?, level_id = ?, name = ?, description = ?, params = ?,
                valid_from = ?, valid_until = ?, enabled = ? WHERE id = ?`,
        [...values, benefitId],
      );
      for (const levelId of new Set([Number(row.level_id), definition.levelId])) {
        await announceLevelBenefits(manager, this.outbox, levelId);
      }
      return Number(row.level_id);
    });
    await this.catalog.invalidateLevels(previousLevel, definition.levelId);
    return this.catalog.viewOrThrow(benefitId);
  }
}
