import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { HoldView, PointsResult } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { OutboxWriter } from '@member-system/shared/messaging';
import { queryTogether, rowsOf, statement } from '@member-system/shared/database';
import { LedgerStore, USE_ORDER } from './ledger-store';
import type { AccountRef, Allocation } from './ledger-store';
import { LedgerMetrics } from './ledger-metrics';

interface HoldRow {
  id: string;
  member_id: string;
  order_id: string;
  points: string;
  status: HoldView['status'];
  expires_at: Date;
}

const toView = (hold: HoldRow): HoldView => ({
  holdId: String(hold.id),
  orderId: String(hold.order_id),
  points: Number(hold.points),
  status: hold.status,
  expiresAt: hold.expires_at.toISOString(),
});

/**
 * Checkout holds. Reserving takes the points from the lots at once (earliest expiry first) and
 * moves them from available to held; capturing turns them into a spend of the order; releasing,
 * cancelling the order or expiring gives them back to the same lots. Every step runs under the
 * account lock, so `available` always equals what the lots have left.
 */
@Injectable()
export class Holds {
  constructor(
    private readonly store: LedgerStore,
    private readonly outbox: OutboxWriter,
    private readonly metrics: LedgerMetrics,
  ) {}

  /**
   * One hold per order: a repeat with the same points returns the hold; other points conflict.
   * The order becomes the member's (another member's order is refused), and a cancelled order or
   * one already paid with points cannot be held.
   */
  reserve(
    manager: EntityManager,
    account: AccountRef,
    request: { points: number; orderId: string; ttlSeconds: number; at: Date },
  ): Promise<HoldView> {
    return this.metrics.failuresOf('hold_reserve', async () => {
      const { locked, answers } = await this.store.lockWith(manager, account, {
        existing: statement('SELECT * FROM point_hold WHERE order_id = ? AND member_id = ?', [
          request.orderId,
          account.memberId,
        ]),
        paid: statement(
          'SELECT 1 FROM point_operation WHERE member_id = ? AND kind = ? AND natural_key = ?',
          [account.memberId, USE_ORDER, request.orderId],
        ),
        ...this.store.orderClaimStatements(account.memberId, request.orderId),
      });
      this.store.orderOf(account.memberId, request.orderId, answers.order);
      const [existing] = rowsOf<HoldRow>(answers.existing);
      if (existing) {
        if (Number(existing.points) === request.points) return toView(existing);
        throw new AppException(ErrorCode.Conflict, `Order ${request.orderId} already has a hold`, {
          orderId: request.orderId,
        });
      }
      if (rowsOf(answers.paid).length > 0) {
        throw new AppException(
          ErrorCode.Conflict,
          `Order ${request.orderId} was already paid with points`,
          { orderId: request.orderId },
        );
      }
      const allocations = await this.store.takeFromLots(
        manager,
        locked,
        request.points,
        request.at,
      );
      await manager.query(
        'UPDATE point_account SET available = available - ?, held = held + ? WHERE member_id = ? AND available >= ?',
        [request.points, request.points, locked.memberId, request.points],
      );
      const expiresAt = new Date(request.at.getTime() + request.ttlSeconds * 1000);
      const inserted = await manager.query<{ insertId: number }>(
        "INSERT INTO point_hold (member_id, order_id, points, status, expires_at) VALUES (?, ?, ?, 'reserved', ?)",
        [locked.memberId, request.orderId, request.points, expiresAt],
      );
      const holdId = String(inserted.insertId);
      await queryTogether(manager, [
        ...allocations.map(({ lotId, points }: Allocation) =>
          statement(
            'INSERT INTO point_hold_allocation (hold_id, lot_id, points) VALUES (?, ?, ?)',
            [holdId, lotId, points],
          ),
        ),
        this.store.historyStatement(locked.memberId, {
          type: 'hold',
          points: -request.points,
          after: {
            ...locked,
            available: locked.available - request.points,
            held: locked.held + request.points,
          },
          source: 'order',
          sourceId: request.orderId,
        }),
      ]);
      return {
        holdId,
        orderId: request.orderId,
        points: request.points,
        status: 'reserved',
        expiresAt: expiresAt.toISOString(),
      };
    });
  }

  /** Spends the held points on the hold's order (a repeat returns the same spend). */
  capture(
    manager: EntityManager,
    account: AccountRef,
    holdId: string,
    at: Date,
  ): Promise<PointsResult> {
    return this.metrics.failuresOf('hold_capture', async () => {
      const locked = await this.store.lock(manager, account);
      const hold = await this.lockHold(manager, locked.memberId, holdId);
      const orderId = String(hold.order_id);
      const points = Number(hold.points);
      if (hold.status === 'captured')
        return this.store.replay(manager, locked.memberId, USE_ORDER, orderId, points);
      if (hold.status !== 'reserved' || hold.expires_at <= at) {
        throw new AppException(
          ErrorCode.HoldNotReserved,
          `Hold ${holdId} is ${hold.status === 'reserved' ? 'expired' : hold.status}`,
          {
            holdId,
          },
        );
      }
      if (!(await this.store.claim(manager, USE_ORDER, orderId, locked.memberId))) {
        throw new AppException(
          ErrorCode.Conflict,
          `Order ${orderId} was already paid with points`,
          {
            orderId,
          },
        );
      }
      await manager.query(
        "UPDATE point_hold SET status = 'captured', settled_at = ? WHERE id = ?",
        [at, holdId],
      );
      await manager.query(
        'UPDATE point_account SET held = held - ?, lifetime_used = lifetime_used + ? WHERE member_id = ?',
        [points, points, locked.memberId],
      );
      const transactionId = await this.store.record(manager, locked.memberId, {
        type: 'capture',
        points: -points,
        after: { ...locked, held: locked.held - points },
        source: 'order',
        sourceId: orderId,
      });
      await this.store.recordAllocations(
        manager,
        transactionId,
        await this.allocationsOf(manager, holdId),
      );
      await this.store.settle(manager, locked.memberId, USE_ORDER, orderId, transactionId);
      this.metrics.used(manager, 'hold_capture', points);
      await this.outbox.add(manager, 'points.used.v1', {
        memberId: locked.memberId,
        userId: locked.userId,
        points,
        source: 'order',
        sourceId: orderId,
        holdId: String(hold.id),
        transactionId,
        balanceAfter: locked.available,
      });
      return { transactionId, points, balanceAfter: locked.available };
    });
  }

  /** Gives a reserved hold back (a repeat, or a hold already settled another way, changes nothing). */
  release(
    manager: EntityManager,
    account: AccountRef,
    holdId: string,
    at: Date,
    outcome: 'released' | 'expired' = 'released',
  ): Promise<HoldView> {
    return this.metrics.failuresOf('hold_release', async () => {
      const locked = await this.store.lock(manager, account);
      const hold = await this.lockHold(manager, locked.memberId, holdId);
      if (hold.status === 'captured') {
        throw new AppException(ErrorCode.HoldNotReserved, `Hold ${holdId} was captured`, {
          holdId,
        });
      }
      if (hold.status !== 'reserved') return toView(hold);
      const points = Number(hold.points);
      await this.store.giveBackToLots(manager, await this.allocationsOf(manager, holdId));
      await manager.query(
        'UPDATE point_account SET held = held - ?, available = available + ? WHERE member_id = ?',
        [points, points, locked.memberId],
      );
      await manager.query('UPDATE point_hold SET status = ?, settled_at = ? WHERE id = ?', [
        outcome,
        at,
        holdId,
      ]);
      await this.store.record(manager, locked.memberId, {
        type: 'release',
        points,
        after: { ...locked, available: locked.available + points, held: locked.held - points },
        source: 'order',
        sourceId: String(hold.order_id),
      });
      return toView({ ...hold, status: outcome });
    });
  }

  /** The member's reserved hold of an order, if any (cancelling the order releases it). */
  async reservedHoldOf(
    manager: EntityManager,
    memberId: string,
    orderId: string,
  ): Promise<string | undefined> {
    const [row] = await manager.query<Array<{ id: string }>>(
      "SELECT id FROM point_hold WHERE order_id = ? AND member_id = ? AND status = 'reserved'",
      [orderId, memberId],
    );
    return row ? String(row.id) : undefined;
  }

  private async lockHold(
    manager: EntityManager,
    memberId: string,
    holdId: string,
  ): Promise<HoldRow> {
    const [hold] = await manager.query<HoldRow[]>(
      'SELECT * FROM point_hold WHERE id = ? AND member_id = ? FOR UPDATE',
      [holdId, memberId],
    );
    // Another member's hold is indistinguishable from a missing one.
    if (!hold) throw new AppException(ErrorCode.HoldNotFound, 'No such hold', { holdId });
    return hold;
  }

  private async allocationsOf(manager: EntityManager, holdId: string): Promise<Allocation[]> {
    const rows = await manager.query<Array<{ lot_id: string; points: string }>>(
      'SELECT lot_id, points FROM point_hold_allocation WHERE hold_id = ?',
      [holdId],
    );
    return rows.map((row) => ({ lotId: String(row.lot_id), points: Number(row.points) }));
  }
}
