import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { BenefitView, BenefitsQueryDto, SaveBenefitDto } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { AppException, ValidationFailedException } from '@member-system/shared/errors';
import { BenefitCatalog } from '../benefit-catalog';

/**
 * Admins define benefits (`/admin/benefits`). Params are checked by the type's plugin; a removed
 * benefit is only marked, so its uses and statistics stay. Every change drops the cached
 * benefits of the levels it touches before it replies.
 */
@Injectable()
export class ManageBenefitsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: BenefitCatalog,
  ) {}

  list(filter: BenefitsQueryDto): Promise<BenefitView[]> {
    return this.catalog.list(filter);
  }

  async create(definition: SaveBenefitDto): Promise<BenefitView> {
    const values = this.columnsOf(definition);
    const inserted = await this.dataSource.query<{ insertId: number }>(
      `INSERT INTO benefit (type, level_id, name, description, params, valid_from, valid_until, enabled)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      values,
    );
    await this.catalog.invalidateLevels(definition.levelId);
    return this.viewOf(String(inserted.insertId));
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
      return Number(row.level_id);
    });
    await this.catalog.invalidateLevels(previousLevel, definition.levelId);
    return this.viewOf(benefitId);
  }

  async remove(benefitId: string): Promise<void> {
    const [row] = await this.dataSource.query<Array<{ level_id: number }>>(
      'SELECT level_id FROM benefit WHERE id = ? AND deleted_at IS NULL',
      [benefitId],
    );
    if (!row) throw notFound(benefitId);
    await this.dataSource.query(
      'UPDATE benefit SET deleted_at = CURRENT_TIMESTAMP(3), enabled = 0 WHERE id = ? AND deleted_at IS NULL',
      [benefitId],
    );
    await this.catalog.invalidateLevels(Number(row.level_id));
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
