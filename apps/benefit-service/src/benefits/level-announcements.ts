import type { EntityManager } from 'typeorm';
import type { OutboxWriter } from '@member-system/shared/messaging';
import { jsonColumn } from '@member-system/shared/database';

/**
 * Tells other services what a level's switched-on benefits are now
 * (`benefit.level-benefits-changed.v1`), with a version that rises with every change of that
 * level, in the transaction of the change. event-service keeps which levels hold EXCLUSIVE_EVENT.
 */
export async function announceLevelBenefits(
  manager: EntityManager,
  outbox: OutboxWriter,
  levelId: number,
): Promise<void> {
  await manager.query(
    `INSERT INTO benefit_level_version (level_id, version) VALUES (?, 1)
     ON DUPLICATE KEY UPDATE version = version + 1`,
    [levelId],
  );
  const [row] = await manager.query<Array<{ version: number }>>(
    'SELECT version FROM benefit_level_version WHERE level_id = ?',
    [levelId],
  );
  const benefits = await manager.query<
    Array<{
      id: string;
      type: string;
      params: unknown;
      valid_from: Date | null;
      valid_until: Date | null;
    }>
  >(
    `SELECT id, type, params, valid_from, valid_until FROM benefit
      WHERE level_id = ? AND deleted_at IS NULL AND enabled = 1 ORDER BY id`,
    [levelId],
  );
  await outbox.add(manager, 'benefit.level-benefits-changed.v1', {
    levelId,
    version: Number(row?.version ?? 1),
    benefits: benefits.map((benefit) => ({
      benefitId: String(benefit.id),
      type: benefit.type,
      params: jsonColumn<Record<string, unknown>>(benefit.params),
      ...(benefit.valid_from ? { validFrom: benefit.valid_from.toISOString() } : {}),
      ...(benefit.valid_until ? { validUntil: benefit.valid_until.toISOString() } : {}),
    })),
  });
}
