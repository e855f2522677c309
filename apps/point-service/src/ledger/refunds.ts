import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { statement } from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { PointServiceConfig } from '../config/point-service.config';
import { Freezes } from './freezes';
import type { OpenFreeze } from './freezes';
import { Ledger } from './ledger';
import type { AccountRef } from './ledger';

export class OrderNotEarnedYet extends Error {}

interface OrderEarn {
  amount_cents: string;
  points: string;
  refunded_cents: string;
  reversed_points: string;
}

/**
 * Refunds (ARCHITECTURE.md "Freeze"): a refund request freezes what its order earned and is still
 * there; a completed refund reverses the order's points in proportion to what was refunded
 * (cumulatively, never past the order's points), out of the freeze first, then what is available,
 * and the rest becomes debt (or is forgiven under `clamp`); a rejection, or the freeze period
 * running out, gives the frozen points back to their lots. Each step happens once per refund id,
 * whatever order the events arrive in.
 */
@Injectable()
export class Refunds {
  constructor(
    private readonly ledger: Ledger,
    private readonly freezes: Freezes,
    private readonly outbox: OutboxWriter,
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
  ) {}

  /** Remembers what an order earned, so its refunds can be reversed in proportion. */
  orderEarnStatement(earn: {
    orderId: string;
    memberId: string;
    amountCents: number;
    points: number;
  }): Statement {
    return statement(
      'INSERT IGNORE INTO point_order_earn (order_id, member_id, amount_cents, points) VALUES (?, ?, ?, ?)',
      [earn.orderId, earn.memberId, earn.amountCents, earn.points],
    );
  }

  async freeze(
    manager: EntityManager,
    account: AccountRef,
    refund: { orderId: string; refundId: string; at: Date },
  ): Promise<void> {
    const locked = await this.ledger.lock(manager, account);
    const order = await this.orderEarn(manager, refund.orderId);
    if (!(await this.ledger.claim(manager, 'freeze:refund', refund.refundId, locked.memberId)))
      return;
    // Settled already (events out of order): nothing left to freeze for it.
    if (
      (await this.ledger.exists(manager, 'reverse:refund', refund.refundId)) ||
      (await this.ledger.exists(manager, 'unfreeze:refund', refund.refundId))
    ) {
      return;
    }
    const [alreadyFrozen] = await manager.query<Array<{ points: string | null }>>(
      "SELECT SUM(points) AS points FROM point_freeze WHERE order_id = ? AND status = 'frozen'",
      [refund.orderId],
    );
    const target =
      Number(order.points) - Number(order.reversed_points) - Number(alreadyFrozen?.points ?? 0);
    if (target <= 0) return;
    const allocations = await this.ledger.takeFromLots(manager, locked, target, refund.at, {
      partial: true,
    });
    if (allocations.length === 0) return;
    await this.freezes.open(manager, locked, allocations, {
      reason: 'refund-requested',
      orderId: refund.orderId,
      refundId: refund.refundId,
      frozenUntil: new Date(refund.at.getTime() + this.config.REFUND_FREEZE_DAYS * 86_400_000),
    });
  }

  async reverse(
    manager: EntityManager,
    account: AccountRef,
    refund: { orderId: string; refundId: string; amountCents: number; at: Date },
  ): Promise<void> {
    const locked = await this.ledger.lock(manager, account);
    const order = await this.orderEarn(manager, refund.orderId);
    if (!(await this.ledger.claim(manager, 'reverse:refund', refund.refundId, locked.memberId)))
      return;
    const amount = Number(order.amount_cents);
    const refunded = Math.min(amount, Number(order.refunded_cents) + refund.amountCents);
    const reversedSoFar = Number(order.reversed_points);
    const due =
      amount === 0 ? 0 : Math.floor((Number(order.points) * refunded) / amount) - reversedSoFar;
    await manager.query(
      'UPDATE point_order_earn SET refunded_cents = ?, reversed_points = reversed_points + ? WHERE order_id = ?',
      [refunded, Math.max(due, 0), refund.orderId],
    );

    // The refund's own freeze pays first; what it holds beyond that goes back to its lots.
    let available = locked.available;
    let left = Math.max(due, 0);
    const freeze = await this.frozenFreezeOf(manager, refund.refundId);
    if (freeze) {
      const frozen = Number(freeze.points);
      const fromFreeze = Math.min(left, frozen);
      left -= fromFreeze;
      const giveBack = await this.freezes.allocationsBeyond(manager, freeze.id, fromFreeze);
      await this.ledger.giveBackToLots(manager, giveBack);
      const returned = frozen - fromFreeze;
      available += returned;
      await manager.query(
        'UPDATE point_account SET frozen = frozen - ?, available = available + ? WHERE member_id = ?',
        [frozen, returned, locked.memberId],
      );
      await manager.query(
        "UPDATE point_freeze SET status = 'reversed', settled_at = ? WHERE id = ?",
        [refund.at, freeze.id],
      );
    }
    // Then what is available; what was already spent becomes debt, or is forgiven.
    const taken =
      left > 0
        ? await this.ledger.takeFromLots(manager, { ...locked, available }, left, refund.at, {
            partial: true,
          })
        : [];
    const fromAvailable = taken.reduce((sum, allocation) => sum + allocation.points, 0);
    available -= fromAvailable;
    const shortfall = left - fromAvailable;
    const debt = this.config.REVERSAL_POLICY === 'debt' ? shortfall : 0;
    await manager.query(
      'UPDATE point_account SET available = available - ?, debt = debt + ? WHERE member_id = ?',
      [fromAvailable, debt, locked.memberId],
    );
    if (due <= 0) return;
    const transactionId = await this.ledger.record(manager, locked.memberId, {
      type: 'reverse',
      points: -due,
      balanceAfter: available,
      source: 'refund',
      sourceId: refund.refundId,
    });
    await this.ledger.settle(manager, 'reverse:refund', refund.refundId, transactionId);
    await this.outbox.add(manager, 'points.reversed.v1', {
      memberId: locked.memberId,
      userId: locked.userId,
      orderId: refund.orderId,
      refundId: refund.refundId,
      points: due,
      transactionId,
      balanceAfter: available,
      debtAfter: locked.debt + debt,
    });
  }

  /** A rejected refund: its frozen points go back to their lots (once, even before the freeze). */
  async unfreeze(manager: EntityManager, account: AccountRef, refundId: string): Promise<void> {
    const locked = await this.ledger.lock(manager, account);
    if (!(await this.ledger.claim(manager, 'unfreeze:refund', refundId, locked.memberId))) return;
    const freeze = await this.frozenFreezeOf(manager, refundId);
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
    const locked = await this.ledger.lock(manager, account);
    const [freeze] = await manager.query<OpenFreeze[]>(
      "SELECT id, points, order_id, refund_id FROM point_freeze WHERE id = ? AND status = 'frozen' FOR UPDATE",
      [freezeId],
    );
    if (!freeze) return false;
    await this.freezes.release(manager, locked, freeze, Number(freeze.points), 'freeze-expired');
    return true;
  }

  private async orderEarn(manager: EntityManager, orderId: string): Promise<OrderEarn> {
    const [order] = await manager.query<OrderEarn[]>(
      'SELECT * FROM point_order_earn WHERE order_id = ? FOR UPDATE',
      [orderId],
    );
    // The order's points have not been earned yet: the event is retried until they have.
    if (!order) throw new OrderNotEarnedYet(`order ${orderId} has earned no points yet`);
    return order;
  }

  private async frozenFreezeOf(
    manager: EntityManager,
    refundId: string,
  ): Promise<OpenFreeze | undefined> {
    const [freeze] = await manager.query<OpenFreeze[]>(
      "SELECT id, points, order_id, refund_id FROM point_freeze WHERE refund_id = ? AND status = 'frozen' FOR UPDATE",
      [refundId],
    );
    return freeze;
  }
}
