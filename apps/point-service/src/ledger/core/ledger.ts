import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { statement, withTransaction, writeOf } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import type { PointEarnSource, PointUseSource, PointsResult } from '@member-system/contracts';
import { ErrorCode } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { OutboxWriter } from '@member-system/shared/messaging';
import { PointServiceConfig } from '../../config/point-service.config';
import { expiryOf } from '../point-rules';
import {
  LOT_INSERTED_JUST_BEFORE,
  LedgerStore,
  RESTORE_ORDER,
  TRANSACTION_ID,
  USE_ORDER,
  allocate,
} from './ledger-store';
import type { AccountRef, Allocation, LockedAccount } from './ledger-store';
import { LedgerMetrics } from './ledger-metrics';
import { roundTrip, roundTripAndCommit } from './round-trip';
import type { Answers, RoundTrip } from './round-trip';

export type { AccountRef, Allocation, Balances, LockedAccount } from './ledger-store';
export { RESTORE_ORDER, USE_ORDER } from './ledger-store';

/** A credit of points: a lot, its history row and its event, once per member and key. */
export interface Credit<R extends RoundTrip = RoundTrip> {
  source: PointEarnSource;
  sourceId: string;
  kind: string;
  at: Date;
  note?: string;
  /** The history row's type: `earn` unless an admin's adjustment. */
  type?: 'earn' | 'adjust';
  /** Reads sent with the account's lock and the key's claim, for `points` to decide from. */
  reads?: R;
  /** How many points (0 records nothing), or how to tell from the reads' answers. */
  points: number | ((answers: Answers<R>) => number);
  /** The caller's own rows of this credit (not the ledger's), written with it. */
  alongside?: (points: number) => Statement[];
  /** An order's credit: what the order earned is remembered, for its refunds. */
  orderAmountCents?: number;
}

/** A debit of points from the lots that expire first, once per member and key. */
export interface Debit {
  points: number;
  source: PointUseSource;
  sourceId: string;
  kind: string;
  at: Date;
  note?: string;
  /** The history row's type: `use` unless an admin's adjustment. */
  type?: 'use' | 'adjust';
}

/**
 * The ledger core's credits and debits: the one place points are created and spent. Every
 * operation runs with the member's account row locked FOR UPDATE and claims its natural key in
 * `point_operation` first: a repeat finds the key and changes nothing, so no point is created or
 * spent twice.
 *
 * A credit or a debit takes two round trips: the lock with the claim and what it reads; then
 * every write, the event included (the history row's id reaches the statements after it through
 * a session variable). `earn` and `spend` run in a transaction of their own and send its COMMIT
 * in the second round trip too.
 */
@Injectable()
export class Ledger {
  constructor(
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
    private readonly outbox: OutboxWriter,
    private readonly dataSource: DataSource,
    private readonly store: LedgerStore,
    private readonly metrics: LedgerMetrics,
  ) {}

  /**
   * Runs ledger work in one transaction (retried whole on deadlock) and, once committed, counts
   * the points it moved and drops the cached balances of every member it touched, before the
   * caller replies.
   */
  async transact<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let last: EntityManager | undefined;
    const result = await withTransaction(this.dataSource, (manager) => {
      last = manager;
      return work(manager);
    });
    if (last) await this.committed(last);
    return result;
  }

  /**
   * For work run in someone else's transaction (an event's): call once that transaction has
   * committed. Counts the points it moved (points_earned_total, points_used_total) and drops the
   * cached balances of the members it touched.
   */
  committed(manager: EntityManager): Promise<void> {
    this.metrics.countCommitted(manager);
    return this.store.invalidateTouched(manager);
  }

  /** Opens a member's points account; false when it was open already. */
  async openAccount(manager: EntityManager, account: AccountRef): Promise<boolean> {
    const { opened } = await roundTrip(manager, { opened: this.store.openStatement(account) });
    return writeOf(opened).affectedRows === 1;
  }

  /**
   * Creates a lot of the credit's points and announces it; debt is paid first (a repay row
   * follows the earn row). Undefined when the member's key was used already.
   */
  credit<R extends RoundTrip>(
    manager: EntityManager,
    account: AccountRef,
    credit: Credit<R>,
  ): Promise<PointsResult | undefined> {
    return this.metrics.failuresOf('credit', () => this.creditIn(manager, account, credit, false));
  }

  /** `credit` in a transaction of its own, committed with its writes. */
  earn<R extends RoundTrip>(
    account: AccountRef,
    credit: Credit<R>,
  ): Promise<PointsResult | undefined> {
    return this.metrics.failuresOf('credit', () =>
      this.transact((manager) => this.creditIn(manager, account, credit, true)),
    );
  }

  /**
   * Spends from the lots that expire first (ties: earliest earned, then id), recording what each
   * lot gave, so a cancellation can give the same lots back. A repeat of the same key by the same
   * member returns the first result; the same key with other points is a conflict. A spend on an
   * order (`kind` use:order) also claims the order for the member: another member's order is
   * refused, and so is a cancelled one or one with a reserved hold, replay or not.
   */
  debit(manager: EntityManager, account: AccountRef, debit: Debit): Promise<PointsResult> {
    return this.metrics.failuresOf('debit', () => this.debitIn(manager, account, debit, false));
  }

  /** `debit` in a transaction of its own, committed with its writes. */
  spend(account: AccountRef, debit: Debit): Promise<PointsResult> {
    return this.metrics.failuresOf('debit', () =>
      this.transact((manager) => this.debitIn(manager, account, debit, true)),
    );
  }

  /**
   * An admin's credit (positive) or deduction (negative) of `points`, once per member and key: a
   * repeat answers what the first did. The answer's points carry the sign, as the history row's.
   */
  adjust(
    account: AccountRef,
    adjustment: { points: number; sourceId: string; note: string; at: Date },
  ): Promise<PointsResult> {
    return this.metrics.failuresOf('adjust', () => this.adjustOnce(account, adjustment));
  }

  /**
   * Gives back what an order's spend took, to the same lots (so each keeps its own expiry), once.
   * A cancellation that arrives before any spend still claims its key, and a later spend of that
   * order by the member is refused. Returns the points given back (0 when there was nothing).
   */
  restoreOrder(manager: EntityManager, account: AccountRef, orderId: string): Promise<number> {
    return this.metrics.failuresOf('restore_order', () =>
      this.restoreOrderOnce(manager, account, orderId),
    );
  }

  /**
   * `adjust` in the caller's transaction, whose own writes (an approval's) commit with it, so
   * either both happen or neither. Call `committed` once it has committed (`transact` does).
   */
  adjustWithin(
    manager: EntityManager,
    account: AccountRef,
    adjustment: { points: number; sourceId: string; note: string; at: Date },
  ): Promise<PointsResult> {
    return this.metrics.failuresOf('adjust', () =>
      this.adjustIn(manager, account, adjustment, false),
    );
  }

  private adjustOnce(
    account: AccountRef,
    adjustment: { points: number; sourceId: string; note: string; at: Date },
  ): Promise<PointsResult> {
    return this.transact((manager) => this.adjustIn(manager, account, adjustment, true));
  }

  private async adjustIn(
    manager: EntityManager,
    account: AccountRef,
    adjustment: { points: number; sourceId: string; note: string; at: Date },
    commit: boolean,
  ): Promise<PointsResult> {
    const common = {
      source: 'adjustment' as const,
      sourceId: adjustment.sourceId,
      at: adjustment.at,
      note: adjustment.note,
      type: 'adjust' as const,
    };
    if (adjustment.points < 0) {
      const deducted = await this.debitIn(
        manager,
        account,
        { ...common, points: -adjustment.points, kind: 'use:adjustment' },
        commit,
      );
      return { ...deducted, points: adjustment.points };
    }
    const credited = await this.creditIn(
      manager,
      account,
      { ...common, points: adjustment.points, kind: 'earn:adjustment' },
      commit,
    );
    return (
      credited ??
      this.store.replay(
        manager,
        account.memberId,
        'earn:adjustment',
        adjustment.sourceId,
        adjustment.points,
      )
    );
  }

  private async restoreOrderOnce(
    manager: EntityManager,
    account: AccountRef,
    orderId: string,
  ): Promise<number> {
    const locked = await this.store.lock(manager, account);
    if (!(await this.store.claim(manager, RESTORE_ORDER, orderId, locked.memberId))) return 0;
    const allocations = await this.store.allocationsOf(
      manager,
      locked.memberId,
      USE_ORDER,
      orderId,
    );
    const points = allocations.reduce((sum, allocation) => sum + allocation.points, 0);
    if (points === 0) return 0;
    await this.store.giveBackToLots(manager, allocations);
    const after = { ...locked, available: locked.available + points };
    await roundTrip(manager, {
      account: statement(
        'UPDATE point_account SET available = available + ?, lifetime_used = lifetime_used - ? WHERE member_id = ?',
        [points, points, locked.memberId],
      ),
      history: this.store.historyStatement(locked.memberId, {
        type: 'restore',
        points,
        after,
        source: 'order',
        sourceId: orderId,
      }),
      transactionId: this.store.rememberTransactionStatement(),
      settled: this.store.settleStatement(locked.memberId, RESTORE_ORDER, orderId, TRANSACTION_ID),
      event: this.outbox.statementFilling(
        manager,
        'points.restored.v1',
        {
          memberId: locked.memberId,
          userId: locked.userId,
          points,
          orderId,
          balanceAfter: after.available,
        },
        'transactionId',
        TRANSACTION_ID,
      ),
    });
    return points;
  }

  private async creditIn<R extends RoundTrip>(
    manager: EntityManager,
    account: AccountRef,
    credit: Credit<R>,
    commit: boolean,
  ): Promise<PointsResult | undefined> {
    const { locked, answers } = await this.store.lockWith(manager, account, {
      ...(credit.reads ?? ({} as R)),
      claimed: this.store.claimStatement(credit.kind, credit.sourceId, account.memberId),
    });
    if (writeOf(answers.claimed).affectedRows !== 1) return undefined;
    const points = typeof credit.points === 'number' ? credit.points : credit.points(answers);
    const send = commit ? roundTripAndCommit : roundTrip;
    const alongside = credit.alongside?.(points) ?? [];
    const orderEarn = this.orderEarnStatement(locked, credit, points);
    if (points <= 0) {
      await send(manager, { alongside, orderEarn });
      return { transactionId: '', points: 0, balanceAfter: locked.available };
    }
    const written = await send(manager, {
      alongside,
      orderEarn,
      ...this.creditWrites(manager, locked, { ...credit, points }),
    });
    this.metrics.earned(manager, credit.source, points);
    const repaid = Math.min(locked.debt, points);
    return {
      transactionId: writeOf(written.history).insertId,
      points,
      balanceAfter: locked.available + points - repaid,
    };
  }

  /** What an order earned, for its refunds to reverse in proportion. */
  private orderEarnStatement(
    locked: LockedAccount,
    credit: { sourceId: string; orderAmountCents?: number },
    points: number,
  ): Statement | undefined {
    if (credit.orderAmountCents === undefined) return undefined;
    return statement(
      'INSERT IGNORE INTO point_order_earn (order_id, member_id, amount_cents, points) VALUES (?, ?, ?, ?)',
      [credit.sourceId, locked.memberId, credit.orderAmountCents, points],
    );
  }

  /** The ledger's writes of a credit whose key is claimed under the account's lock. */
  private creditWrites(
    manager: EntityManager,
    locked: LockedAccount,
    credit: Omit<Credit, 'points' | 'reads' | 'alongside'> & { points: number },
  ) {
    const expiresAt = expiryOf(
      credit.at,
      this.config.POINTS_EXPIRY_YEARS,
      this.config.BUSINESS_TIME_ZONE,
    );
    // Debt from reversed points already spent is paid first, out of this credit.
    const repaid = Math.min(locked.debt, credit.points);
    const kept = credit.points - repaid;
    const earned = { ...locked, available: locked.available + credit.points };
    const after = { ...earned, available: locked.available + kept, debt: locked.debt - repaid };
    return {
      lot: statement(
        `INSERT INTO point_lot (member_id, source, source_id, amount, remaining, earned_at, available_from, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          locked.memberId,
          credit.source,
          credit.sourceId,
          credit.points,
          kept,
          credit.at,
          credit.at,
          expiresAt,
        ],
      ),
      history: this.store.historyStatement(locked.memberId, {
        type: credit.type ?? 'earn',
        points: credit.points,
        after: earned,
        source: credit.source,
        sourceId: credit.sourceId,
        lotId: LOT_INSERTED_JUST_BEFORE,
        expiresAt,
        note: credit.note,
      }),
      transactionId: this.store.rememberTransactionStatement(),
      repaid:
        repaid > 0
          ? this.store.historyStatement(locked.memberId, {
              type: 'repay',
              points: -repaid,
              after,
              source: credit.source,
              sourceId: credit.sourceId,
            })
          : undefined,
      account: statement(
        `UPDATE point_account SET available = available + ?, debt = debt - ?, lifetime_earned = lifetime_earned + ?
          WHERE member_id = ?`,
        [kept, repaid, credit.points, locked.memberId],
      ),
      settled: this.store.settleStatement(
        locked.memberId,
        credit.kind,
        credit.sourceId,
        TRANSACTION_ID,
      ),
      event: this.outbox.statementFilling(
        manager,
        'points.earned.v1',
        {
          memberId: locked.memberId,
          userId: locked.userId,
          points: credit.points,
          source: credit.source,
          sourceId: credit.sourceId,
          expiresAt: expiresAt.toISOString(),
          balanceAfter: after.available,
        },
        'transactionId',
        TRANSACTION_ID,
      ),
    };
  }

  private async debitIn(
    manager: EntityManager,
    account: AccountRef,
    debit: Debit,
    commit: boolean,
  ): Promise<PointsResult> {
    const onOrder = debit.kind === USE_ORDER;
    const { locked, answers } = await this.store.lockWith(manager, account, {
      claimed: this.store.claimStatement(debit.kind, debit.sourceId, account.memberId),
      lots: this.store.spendableLotsStatement(account.memberId, debit.at),
      ...(onOrder
        ? this.store.orderClaimStatements(account.memberId, debit.sourceId)
        : { orderClaim: undefined, order: undefined }),
    });
    if (
      onOrder &&
      this.store.orderOf(account.memberId, debit.sourceId, answers.order).reservedHold
    ) {
      throw new AppException(
        ErrorCode.Conflict,
        `Order ${debit.sourceId} has a hold: capture or release it`,
        { orderId: debit.sourceId },
      );
    }
    if (writeOf(answers.claimed).affectedRows !== 1) {
      return this.store.replay(manager, account.memberId, debit.kind, debit.sourceId, debit.points);
    }
    const allocations = allocate(
      this.store.spendableLotsOf(answers.lots),
      locked.available,
      debit.points,
    );
    const writes = this.debitWrites(manager, locked, debit, allocations);
    const written = await (commit ? roundTripAndCommit : roundTrip)(manager, writes);
    this.metrics.used(manager, debit.type === 'adjust' ? 'adjustment' : 'spend', debit.points);
    return {
      transactionId: writeOf(written.history).insertId,
      points: debit.points,
      balanceAfter: locked.available - debit.points,
    };
  }

  /**
   * Every write of a debit, in one round trip. The balance's CHECK (available >= 0) and the lots'
   * (remaining >= 0) fail the round trip before its COMMIT if anything changed under the lock.
   */
  private debitWrites(
    manager: EntityManager,
    locked: LockedAccount,
    debit: Debit,
    allocations: readonly Allocation[],
  ) {
    const after = { ...locked, available: locked.available - debit.points };
    return {
      lots: this.store.takeStatements(allocations),
      account: statement(
        `UPDATE point_account SET available = available - ?, lifetime_used = lifetime_used + ?
          WHERE member_id = ?`,
        [debit.points, debit.points, locked.memberId],
      ),
      history: this.store.historyStatement(locked.memberId, {
        type: debit.type ?? 'use',
        points: -debit.points,
        after,
        source: debit.source,
        sourceId: debit.sourceId,
        note: debit.note,
      }),
      transactionId: this.store.rememberTransactionStatement(),
      allocations: this.store.allocationStatement(TRANSACTION_ID, allocations),
      settled: this.store.settleStatement(
        locked.memberId,
        debit.kind,
        debit.sourceId,
        TRANSACTION_ID,
      ),
      event: this.outbox.statementFilling(
        manager,
        'points.used.v1',
        {
          memberId: locked.memberId,
          userId: locked.userId,
          points: debit.points,
          source: debit.source,
          sourceId: debit.sourceId,
          balanceAfter: after.available,
        },
        'transactionId',
        TRANSACTION_ID,
      ),
    };
  }
}
