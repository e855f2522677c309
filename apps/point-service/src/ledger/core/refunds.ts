import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@member-system/shared/messaging';
import { PointServiceConfig } from '../../config/point-service.config';
import { Freezes } from './freezes';
import type { OpenFreeze } from './freezes';
import { LedgerStore } from './ledger-store';
import type { AccountRef, LockedAccount } from './ledger-store';
import { LedgerMetrics } from './ledger-metrics';

const FREEZE_REFUND = 'freeze:refund';
const REVERSE_REFUND = 'reverse:refund';
const UNFREEZE_REFUND = 'unfreeze:refund';

export class OrderNotEarnedYet extends Error {}

interface OrderEarn {
  amount_cents: string;
  points: string;
  refunded_cents: string;
  reversed_points: string;
}

/**
 * Refunds (docs/architecture.md "Freeze"): a refund request freezes what its order earned and is still
 * there; a completed refund reverses the order's points in proportion to what was refunded
 * (cumulatively, never past the order's points), out of the freeze first, then what is available,
 * and the rest becomes debt (or is forgiven under `clamp`); a rejection, or the freeze period
 * running out, gives the frozen points back to their lots. Each step happens once per refund id,
 * whatever order the events arrive in.
 */
@Injectable()
export class Refunds {
  constructor(
    private readonly store: LedgerStore,
    private readonly freezes: Freezes,
    private readonly outbox: OutboxWriter,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
    private readonly metrics: LedgerMetrics,
  ) {}

  /**
   * A refund asked for: freezes the share of the order's points that the amount asked back stands
   * for, counted with what was refunded and what other open requests asked (never past what the
   * order earned), out of what the member still has.
   */
  freeze(
    manager: EntityManager,
    account: AccountRef,
    refund: { orderId: string; refundId: string; amountCents: number; at: Date },
  ): Promise<void> {
    return this.metrics.failuresOf('refund_freeze', async () => {
      const locked = await this.store.lock(manager, account);
      const order = await this.orderEarn(manager, locked.memberId, refund.orderId);
      if (!(await this.store.claim(manager, FREEZE_REFUND, refund.refundId, locked.memberId)))
        return;
      // Settled already (events out of order): nothing left to freeze for it.
      if (
        (await this.store.exists(manager, locked.memberId, REVERSE_REFUND, refund.refundId)) ||
        (await this.store.exists(manager, locked.memberId, UNFREEZE_REFUND, refund.refundId))
      ) {
        return;
      }
      const [open] = await manager.query<Array<{ points: string | null; asked: string | null }>>(
        `SELECT SUM(points) AS points, SUM(amount_cents) AS asked FROM point_freeze
          WHERE member_id = ? AND order_id = ? AND status = 'frozen'`,
        [locked.memberId, refund.orderId],
      );
      const amount = Number(order.amount_cents);
      const asked = Math.min(
        amount,
        Number(order.refunded_cents) + Number(open?.asked ?? 0) + refund.amountCents,
      );
      const share = amount === 0 ? 0 : Math.floor((Number(order.points) * asked) / amount);
      const target = share - Number(order.reversed_points) - Number(open?.points ?? 0);
      if (target <= 0) return;
      const allocations = await this.store.takeFromLots(manager, locked, target, refund.at, {
        partial: true,
      });
      if (allocations.length === 0) return;
      await this.freezes.open(manager, locked, allocations, {
        reason: 'refund-requested',
        orderId: refund.orderId,
        refundId: refund.refundId,
        amountCents: refund.amountCents,
        frozenUntil: new Date(refund.at.getTime() + this.config.REFUND_FREEZE_DAYS * 86_400_000),
      });
    });
  }

  /**
   * A refund done: reverses the order's points in proportion to what was refunded (cumulatively,
   * never past the order's points), out of the refund's own freeze first (what it holds beyond
   * that goes back to its lots, announced as unfrozen), then what is available; the rest becomes
   * debt, or is forgiven under `clamp`.
   */
  reverse(
    manager: EntityManager,
    account: AccountRef,
    refund: { orderId: string; refundId: string; amountCents: number; at: Date },
  ): Promise<void> {
    return this.metrics.failuresOf('refund_reverse', async () => {
      let state: LockedAccount = await this.store.lock(manager, account);
      const order = await this.orderEarn(manager, state.memberId, refund.orderId);
      if (!(await this.store.claim(manager, REVERSE_REFUND, refund.refundId, state.memberId)))
        return;
      const amount = Number(order.amount_cents);
      const refunded = Math.min(amount, Number(order.refunded_cents) + refund.amountCents);
      const reversedSoFar = Number(order.reversed_points);
      const due = Math.max(
        0,
        amount === 0 ? 0 : Math.floor((Number(order.points) * refunded) / amount) - reversedSoFar,
      );
      await manager.query(
        'UPDATE point_order_earn SET refunded_cents = ?, reversed_points = reversed_points + ? WHERE member_id = ? AND order_id = ?',
        [refunded, due, state.memberId, refund.orderId],
      );

      let fromFreeze = 0;
      const freeze = await this.frozenFreezeOf(manager, state.memberId, refund.refundId);
      if (freeze) {
        fromFreeze = Math.min(due, Number(freeze.points));
        if (fromFreeze < Number(freeze.points)) {
          state = await this.freezes.release(
            manager,
            state,
            freeze,
            Number(freeze.points) - fromFreeze,
            'refund-settled',
          );
        }
        if (fromFreeze > 0) {
          await manager.query(
            "UPDATE point_freeze SET status = 'reversed', settled_at = ? WHERE id = ?",
            [refund.at, freeze.id],
          );
          await manager.query('UPDATE point_account SET frozen = frozen - ? WHERE member_id = ?', [
            fromFreeze,
            state.memberId,
          ]);
        }
      }
      // Then what is available; what was already spent becomes debt, or is forgiven.
      const left = due - fromFreeze;
      const taken =
        left > 0
          ? await this.store.takeFromLots(manager, state, left, refund.at, { partial: true })
          : [];
      const fromAvailable = taken.reduce((sum, allocation) => sum + allocation.points, 0);
      const debt = this.config.REVERSAL_POLICY === 'debt' ? left - fromAvailable : 0;
      await manager.query(
        'UPDATE point_account SET available = available - ?, debt = debt + ? WHERE member_id = ?',
        [fromAvailable, debt, state.memberId],
      );
      const removed = fromFreeze + fromAvailable + debt;
      if (removed === 0) return;
      const after = {
        ...state,
        available: state.available - fromAvailable,
        frozen: state.frozen - fromFreeze,
        debt: state.debt + debt,
      };
      const transactionId = await this.store.record(manager, state.memberId, {
        type: 'reverse',
        points: -removed,
        after,
        source: 'refund',
        sourceId: refund.refundId,
      });
      await this.store.settle(
        manager,
        state.memberId,
        REVERSE_REFUND,
        refund.refundId,
        transactionId,
      );
      await this.outbox.add(manager, 'points.reversed.v1', {
        memberId: state.memberId,
        userId: state.userId,
        orderId: refund.orderId,
        refundId: refund.refundId,
        points: due,
        transactionId,
        balanceAfter: after.available,
        debtAfter: after.debt,
      });
      // Debt counts now: the credits that later repay it count as earned in full.
      this.metrics.used(manager, 'refund_reversal', removed);
    });
  }

  /** A rejected refund: its frozen points go back to their lots (once, even before the freeze). */
  async unfreeze(manager: EntityManager, account: AccountRef, refundId: string): Promise<void> {
    const locked = await this.store.lock(manager, account);
    if (!(await this.store.claim(manager, UNFREEZE_REFUND, refundId, locked.memberId))) return;
    const freeze = await this.frozenFreezeOf(manager, locked.memberId, refundId);
    if (freeze) {
      await this.freezes.release(manager, locked, freeze, Number(freeze.points), 'refund-rejected');
    }
  }

  /** A freeze whose time ran out without an outcome (the `release-freezes` job). */
  async releaseExpired(
    manager: EntityManager,
    account: AccountRef,
    freezeId: string,
  ): Promise<boolean> {
    const locked = await this.store.lock(manager, account);
    const [freeze] = await manager.query<OpenFreeze[]>(
      "SELECT id, points, order_id, refund_id FROM point_freeze WHERE id = ? AND status = 'frozen' FOR UPDATE",
      [freezeId],
    );
    if (!freeze) return false;
    await this.freezes.release(manager, locked, freeze, Number(freeze.points), 'freeze-expired');
    return true;
  }

  private async orderEarn(
    manager: EntityManager,
    memberId: string,
    orderId: string,
  ): Promise<OrderEarn> {
    const [order] = await manager.query<OrderEarn[]>(
      'SELECT * FROM point_order_earn WHERE member_id = ? AND order_id = ? FOR UPDATE',
      [memberId, orderId],
    );
    // The order's points have not been earned yet: the event is retried until they have.
    if (!order) throw new OrderNotEarnedYet(`order ${orderId} has earned no points yet`);
    return order;
  }

  private async frozenFreezeOf(
    manager: EntityManager,
    memberId: string,
    refundId: string,
  ): Promise<OpenFreeze | undefined> {
    const [freeze] = await manager.query<OpenFreeze[]>(
      "SELECT id, points, order_id, refund_id FROM point_freeze WHERE member_id = ? AND refund_id = ? AND status = 'frozen' FOR UPDATE",
      [memberId, refundId],
    );
    return freeze;
  }
}
