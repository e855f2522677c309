import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { BenefitView, BenefitsQueryDto, SaveBenefitDto } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException, ValidationFailedException } from '@member-system/shared/errors';
import { OutboxWriter } from '@member-system/shared/messaging';
import { BenefitCatalog } from '../benefit-catalog';
import { announceLevelBenefits } from '../level-announcements';

/**
 * Admins define benefits (`/admin/benefits`). Params are checked by the type's plugin; a removed
 * benefit is only marked, so its uses and statistics stay. Every change drops the cached
 * benefits of the levels it touches before it replies, and announces those levels' benefits
 * (`benefit.level-benefits-changed.v1`) in the same transaction.
 */
@Injectable()
export class ManageBenefitsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: BenefitCatalog,
    private readonly outbox: OutboxWriter,
  ) {}

  list(filter: BenefitsQueryDto): Promise<BenefitView[]> {
    return this.catalog.list(filter);
  }

  async create(definition: SaveBenefitDto): Promise<BenefitView> {
    const values = this.columnsOf(definition);
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
    return this.viewOf(benefitId);
  }

  async update(benefitId: string, definition: SaveBenefitDto): Promise<BenefitView> {
    const values = this.columnsOf(definition);
    const previousLevel = await withTransaction(this.dataSource, async (manager) => {
      const [row] = await manager.query<Array<{ level_id: number }>>(
        'SELECT level_id FROM benefit WHERE id = ? AND deleted_at IS NULL FOR UPDATE',
        [benefitId],
      );
      if (!row) throw notFound(benefitId);
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
    return this.viewOf(benefitId);
  }

  async remove(benefitId: string): Promise<void> {
    const levelId = await withTransaction(this.dataSource, async (manager) => {
      const [row] = await manager.query<Array<{ level_id: number }>>(
        'SELECT level_id FROM benefit WHERE id = ? AND deleted_at IS NULL FOR UPDATE',
        [benefitId],
      );
      if (!row) throw notFound(benefitId);
      await manager.query(
        'UPDATE benefit SET deleted_at = CURRENT_TIMESTAMP(3), enabled = 0 WHERE id = ?',
        [benefitId],
      );
      await announceLevelBenefits(manager, this.outbox, Number(row.level_id));
      return Number(row.level_id);
    });
    await this.catalog.invalidateLevels(levelId);
  }

  private columnsOf(definition: SaveBenefitDto): unknown[] {
    const params = this.catalog.checkParams(definition.type, definition.params);
    const validFrom = definition.validFrom ? new Date(definition.validFrom) : null;
    const validUntil = definition.validUntil ? new Date(definition.validUntil) : null;
    if (validFrom && validUntil && validFrom >= validUntil) {
      throw new ValidationFailedException({ validUntil: ['must be after validFrom'] });
    }
    return [
      definition.type,
      definition.levelId,
      definition.name,
      definition.description ?? null,
      JSON.stringify(params),
      validFrom,
      validUntil,
      definition.enabled === false ? 0 : 1,
    ];
  }

  private async viewOf(benefitId: string): Promise<BenefitView> {
    const view = await this.catalog.viewById(benefitId);
    if (!view) throw notFound(benefitId);
    return view;
  }
}

function notFound(benefitId: string): AppException {
  return new AppException(ErrorCode.BenefitNotFound, 'No such benefit', { benefitId });
}
