import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { BenefitView } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { BenefitCatalog } from '../../benefit-catalog';
import { announceLevelBenefits } from '../../level-announcements';
import { CreateBenefitCommand } from './create-benefit.command';

/**
 * An admin defines a benefit; its params are checked by the type's plugin. The level's benefits
 * are announced (`benefit.level-benefits-changed.v1`) in the same transaction, and its cached
 * benefits dropped before the reply.
 */
@CommandHandler(CreateBenefitCommand)
export class CreateBenefitHandler implements ICommandHandler<CreateBenefitCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: BenefitCatalog,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute({ definition }: CreateBenefitCommand): Promise<BenefitView> {
    const values = this.catalog.columnsOf(definition);
    const benefitId = await withTransaction(this.dataSource, async (manager) => {
      const inserted = await manager.query<{ insertId: number }>(
        `INSERT INTO benefit (type, level_id, name, description, params, valid_from, valid_until, enabled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        values,
      );
      await announceLevelBenefits(manager, this.outbox, definition.levelId);
      return String(inserted.insertId);
    });
    await this.catalog.invalidateLevels(definition.levelId);
    return this.catalog.viewOrThrow(benefitId);
  }
}
