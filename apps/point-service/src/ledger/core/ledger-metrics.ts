import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import type { PointEarnSource } from '@member-system/contracts';
import { ErrorCode } from '@member-system/contracts';
import {
  isConnectionError,
  isDuplicateKeyError,
  isReadOnlyError,
  isRetryableTransactionError,
} from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { AppMetrics } from '@member-system/shared/observability';

/**
 * How points leave a member for good: a spend, a hold's capture, an admin's deduction, expiry, or
 * a refund taking back what its order earned. Holds and freezes only set points aside, and a
 * cancelled order's points given back undo a spend (which stays counted): none of these count.
 */
export type PointsUse = 'spend' | 'hold_capture' | 'adjustment' | 'expiry' | 'refund_reversal';

/** The core operations whose unexpected failures `points_calculation_errors_total` counts. */
export const LEDGER_OPERATIONS = [
  'credit',
  'debit',
  'adjust',
  'bulk_credit',
  'restore_order',
  'hold_reserve',
  'hold_capture',
  'hold_release',
  'expire',
  'refund_freeze',
  'refund_reverse',
] as const;
export type LedgerOperation = (typeof LEDGER_OPERATIONS)[number];

interface Pending {
  earned: Map<PointEarnSource, number>;
  used: Map<PointsUse, number>;
}

/**
 * The seed's points series. A movement is noted on its transaction's manager and counted only
 * once that transaction commits (`countCommitted`, called where the core drops the touched
 * balances after commit): a rolled-back transaction or a deadlock retry (a new manager) counts
 * nothing, and a replayed key writes nothing, so it is never noted.
 */
@Injectable()
export class LedgerMetrics {
  private readonly earnedTotal: Counter<'source'>;
  private readonly usedTotal: Counter<'type'>;
  private readonly calculationErrors: Counter<'operation'>;
  private readonly pending = new WeakMap<EntityManager, Pending>();

  constructor(metrics: AppMetrics) {
    this.earnedTotal = new Counter({
      name: 'points_earned_total',
      help: 'Points credited to members, by source (committed movements only)',
      labelNames: ['source'],
      registers: [metrics.registry],
    });
    this.usedTotal = new Counter({
      name: 'points_used_total',
      help: 'Points taken from members for good: spend, hold_capture, adjustment, expiry, refund_reversal',
      labelNames: ['type'],
      registers: [metrics.registry],
    });
    this.calculationErrors = new Counter({
      name: 'points_calculation_errors_total',
      help: 'Ledger operations that failed unexpectedly (not a refusal, a retried deadlock or MySQL being unreachable)',
      labelNames: ['operation'],
      registers: [metrics.registry],
    });
    // Each series exists from the start at 0, so increase() sees the first failure too.
    for (const operation of LEDGER_OPERATIONS) this.calculationErrors.inc({ operation }, 0);
  }

  /** Notes points credited in `manager`'s transaction, counted once it commits. */
  earned(manager: EntityManager, source: PointEarnSource, points: number): void {
    if (points <= 0) return;
    const { earned } = this.pendingOf(manager);
    earned.set(source, (earned.get(source) ?? 0) + points);
  }

  /** Notes points taken from a member in `manager`'s transaction, counted once it commits. */
  used(manager: EntityManager, type: PointsUse, points: number): void {
    if (points <= 0) return;
    const { used } = this.pendingOf(manager);
    used.set(type, (used.get(type) ?? 0) + points);
  }

  /** Counts what `manager`'s transaction noted; call once it has committed (again: a no-op). */
  countCommitted(manager: EntityManager): void {
    const pending = this.pending.get(manager);
    if (!pending) return;
    this.pending.delete(manager);
    for (const [source, points] of pending.earned) this.earnedTotal.inc({ source }, points);
    for (const [type, points] of pending.used) this.usedTotal.inc({ type }, points);
  }

  /** Runs a core operation, counting its failure when it is a calculation error. */
  async failuresOf<T>(operation: LedgerOperation, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isCalculationError(error)) this.calculationErrors.inc({ operation });
      throw error;
    }
  }

  private pendingOf(manager: EntityManager): Pending {
    let pending = this.pending.get(manager);
    if (!pending) {
      pending = { earned: new Map(), used: new Map() };
      this.pending.set(manager, pending);
    }
    return pending;
  }
}

/**
 * A failure nobody expects: not a business refusal (an AppException other than INTERNAL_ERROR,
 * e.g. insufficient points), not a deadlock or lock wait (retried whole), not a key claimed by a
 * concurrent writer (run again, then a duplicate), not MySQL being read-only or unreachable (its
 * own alerts and a 503). A CHECK constraint, an out-of-range value or a bug in the core remain.
 */
export function isCalculationError(error: unknown): boolean {
  if (error instanceof AppException) return error.code === ErrorCode.Internal;
  return !(
    isRetryableTransactionError(error) ||
    isDuplicateKeyError(error) ||
    isReadOnlyError(error) ||
    isConnectionError(error)
  );
}
