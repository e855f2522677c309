import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Keyset, jsonColumn } from '@member-system/shared/database';
import type { EntityManager } from 'typeorm';

import { ErrorCode } from '@member-system/contracts';
import { PAGE_LIMIT_DEFAULT } from '@member-system/contracts';
import type { BenefitView, BenefitsQueryDto, Page, SaveBenefitDto } from '@member-system/contracts';
import { TwoLevelCache } from '@member-system/shared/cache';
import type { CacheNamespace } from '@member-system/shared/cache';
import { AppException, ValidationFailedException } from '@member-system/shared/errors';
import type { BenefitDefinition } from './plugins/benefit-plugin';
import { optionalCentsOf, wholeNumberOf } from './plugins/params';
import { BenefitPluginRegistry } from './plugins/plugin-registry';

interface BenefitRow {
  id: string;
  type: string;
  level_id: number;
  name: string;
  description: string | null;
  params: unknown;
  valid_from: Date | null;
  valid_until: Date | null;
  enabled: number;
  updated_at: Date;
}

const COLUMNS =
  'id, type, level_id, name, description, params, valid_from, valid_until, enabled, updated_at';

/** The admin's list: by level, then type, then age. */
const BY_LEVEL_AND_TYPE = new Keyset<BenefitView>(
  [
    { column: 'level_id', kind: 'id' },
    { column: 'type', kind: 'text' },
    { column: 'id', kind: 'id' },
  ],
  'ASC',
  (view) => [String(view.levelId), view.type, view.id],
);

/** A benefit with its checked definition (none when its type is no longer registered). */
export interface CheckedBenefit {
  view: BenefitView;
  definition: BenefitDefinition | undefined;
}

/** A member's list: oldest first. */
export const BY_AGE = new Keyset<CheckedBenefit>(
  [{ column: 'id', kind: 'id' }],
  'ASC',
  ({ view }) => [view.id],
);

/** Params every type may have; the engine, not the plugin, applies them. */
const SHARED_PARAMS = ['minOrderAmount', 'monthlyQuota'];

/**
 * The benefit definitions. A level's are cached as the seed's `member:benefits:{levelId}` (30
 * min), dropped whenever an admin changes one. Reads give definitions whose params their plugin
 * has checked; a definition whose type is no longer registered is left out. Uncached reads take
 * the caller's manager (a query's read connection, a command's transaction); the cache is always
 * filled from the primary, as commands rely on it too.
 */
@Injectable()
export class BenefitCatalog {
  private readonly byLevel: CacheNamespace<BenefitView[]>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: BenefitPluginRegistry,
    cache: TwoLevelCache,
  ) {
    this.byLevel = cache.namespace<BenefitView[]>('member:benefits', { redisTtlSeconds: 1800 });
  }

  /** The level's definitions (disabled ones too: callers decide), oldest first. */
  async ofLevel(levelId: number): Promise<BenefitDefinition[]> {
    const views =
      (await this.byLevel.get(levelId, async () =>
        (
          await this.dataSource.query<BenefitRow[]>(
            `SELECT ${COLUMNS} FROM benefit WHERE level_id = ? AND deleted_at IS NULL ORDER BY id`,
            [levelId],
          )
        ).map(viewOf),
      )) ?? [];
    return views.flatMap((view) => this.definitionOf(view) ?? []);
  }

  /** The level's definitions and those the member holds a grant of, each once. */
  async forMember(
    levelId: number,
    granted: ReadonlySet<string>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<BenefitDefinition[]> {
    const ofLevel = await this.ofLevel(levelId);
    const extra = [...granted].filter((id) => !ofLevel.some((benefit) => benefit.id === id));
    const grantedOnes = await Promise.all(extra.map((id) => this.byId(id, manager)));
    return [...ofLevel, ...grantedOnes.flatMap((benefit) => benefit ?? [])];
  }

  async byId(
    benefitId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<BenefitDefinition | undefined> {
    const view = await this.viewById(benefitId, manager);
    return view ? this.definitionOf(view) : undefined;
  }

  async viewById(
    benefitId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<BenefitView | undefined> {
    const [row] = await manager.query<BenefitRow[]>(
      `SELECT ${COLUMNS} FROM benefit WHERE id = ? AND deleted_at IS NULL`,
      [benefitId],
    );
    return row ? viewOf(row) : undefined;
  }

  /** The benefit's view; 404 BENEFIT_NOT_FOUND when there is none (or it was removed). */
  async viewOrThrow(
    benefitId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<BenefitView> {
    const view = await this.viewById(benefitId, manager);
    if (!view) throw benefitNotFound(benefitId);
    return view;
  }

  /** One page of the admin's list, by level and type. */
  async page(
    { levelId, type, cursor, limit = PAGE_LIMIT_DEFAULT }: BenefitsQueryDto,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Page<BenefitView>> {
    const conditions = ['deleted_at IS NULL'];
    const values: unknown[] = [];
    if (levelId !== undefined) {
      conditions.push('level_id = ?');
      values.push(levelId);
    }
    if (type !== undefined) {
      conditions.push('type = ?');
      values.push(type);
    }
    if (cursor !== undefined) {
      const after = BY_LEVEL_AND_TYPE.after(cursor);
      conditions.push(after.sql);
      values.push(...after.params);
    }
    const rows = await manager.query<BenefitRow[]>(
      `SELECT ${COLUMNS} FROM benefit WHERE ${conditions.join(' AND ')}
        ORDER BY ${BY_LEVEL_AND_TYPE.orderBy} LIMIT ?`,
      [...values, limit + 1],
    );
    return BY_LEVEL_AND_TYPE.page(rows.map(viewOf), limit, (view) => view);
  }

  /**
   * Up to `batch` of the benefits a member may have, oldest first, after the cursor `after`
   * (BY_AGE): their level's and those they hold a grant of.
   */
  async forMemberAfter(
    manager: EntityManager,
    levelId: number,
    granted: ReadonlySet<string>,
    after: string | undefined,
    batch: number,
  ): Promise<CheckedBenefit[]> {
    const owned = granted.size > 0 ? '(level_id = ? OR id IN (?))' : 'level_id = ?';
    const conditions = ['deleted_at IS NULL', owned];
    const values: unknown[] = granted.size > 0 ? [levelId, [...granted]] : [levelId];
    if (after !== undefined) {
      const start = BY_AGE.after(after);
      conditions.push(start.sql);
      values.push(...start.params);
    }
    const rows = await manager.query<BenefitRow[]>(
      `SELECT ${COLUMNS} FROM benefit WHERE ${conditions.join(' AND ')} ORDER BY ${BY_AGE.orderBy} LIMIT ?`,
      [...values, batch],
    );
    return rows.map(viewOf).map((view) => ({ view, definition: this.definitionOf(view) }));
  }

  /**
   * An admin's params for `type`, checked: a 400 names the failing field. Returns them as stored.
   */
  private checkParams(type: string, params: Record<string, unknown>): Record<string, unknown> {
    const plugin = this.registry.find(type);
    if (!plugin) {
      throw new ValidationFailedException({
        type: [`must be one of ${this.registry.types().join(', ')}`],
      });
    }
    sharedParamsOf(params);
    plugin.parseParams(withoutShared(params));
    return params;
  }

  /**
   * An admin's definition as the columns of `benefit` (type, level_id, name, description, params,
   * valid_from, valid_until, enabled), checked: a 400 names the failing field.
   */
  columnsOf(definition: SaveBenefitDto): unknown[] {
    const params = this.checkParams(definition.type, definition.params);
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

  async invalidateLevels(...levelIds: number[]): Promise<void> {
    await this.byLevel.invalidateMany([...new Set(levelIds)]);
  }

  private definitionOf(view: BenefitView): BenefitDefinition | undefined {
    const plugin = this.registry.find(view.type);
    if (!plugin) return undefined;
    const shared = sharedParamsOf(view.params);
    return {
      id: view.id,
      type: view.type,
      levelId: view.levelId,
      name: view.name,
      description: view.description,
      params: plugin.parseParams(withoutShared(view.params)) as Record<string, unknown>,
      ...shared,
      validFrom: view.validFrom ? new Date(view.validFrom) : null,
      validUntil: view.validUntil ? new Date(view.validUntil) : null,
      enabled: view.enabled,
      updatedAt: new Date(view.updatedAt),
    };
  }
}

export function benefitNotFound(benefitId: string): AppException {
  return new AppException(ErrorCode.BenefitNotFound, 'No such benefit', { benefitId });
}

function sharedParamsOf(params: Record<string, unknown>): {
  minOrderAmountCents: number | null;
  monthlyQuota: number | null;
} {
  const quota = params.monthlyQuota;
  return {
    minOrderAmountCents: optionalCentsOf(params, 'minOrderAmount') ?? null,
    monthlyQuota:
      quota === undefined || quota === null
        ? null
        : wholeNumberOf(params, 'monthlyQuota', { min: 0, max: 1_000_000 }),
  };
}

function withoutShared(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).filter(([field]) => !SHARED_PARAMS.includes(field)),
  );
}

function viewOf(row: BenefitRow): BenefitView {
  const params = jsonColumn<Record<string, unknown>>(row.params);
  return {
    id: String(row.id),
    type: row.type,
    levelId: Number(row.level_id),
    name: row.name,
    description: row.description,
    params,
    validFrom: row.valid_from?.toISOString() ?? null,
    validUntil: row.valid_until?.toISOString() ?? null,
    enabled: Number(row.enabled) === 1,
    updatedAt: row.updated_at.toISOString(),
  };
}
