import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { RecordLevelBenefitsCommand } from './record-level-benefits.command';

/**
 * Keeps the benefit types benefit-service last announced for a level (what CampaignEligibility
 * reads for exclusive campaigns); an announcement older than the one kept changes nothing.
 */
@CommandHandler(RecordLevelBenefitsCommand)
export class RecordLevelBenefitsHandler implements ICommandHandler<RecordLevelBenefitsCommand> {
  async execute({ manager, change }: RecordLevelBenefitsCommand): Promise<void> {
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
