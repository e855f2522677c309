import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@member-system/shared/messaging';
import { LedgerStore } from './ledger-store';
import { ErrorCode } from '@member-system/contracts';
import type { FreezeResult } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import type { AccountRef, Allocation, LockedAccount } from './ledger-store';

const ADMIN_FREEZE = 'freeze:admin';
const ADMIN_UNFREEZE = 'unfreeze:admin';

/** An open freeze, as read FOR UPDATE. */
export interface OpenFreeze {
  id: string;
  points: string;
  order_id: string | null;
  refund_id: string | null;
}

/**
 * Frozen points (docs/architecture.md "Freeze"): taken from their lots into a freeze, out of what the
 * member can spend, until they are released to the same lots or reversed. Refund freezes and an
 * admin's freezes both keep here; callers hold the account lock.
 */
@Injectable()
export class Freezes {
  constructor(
    private readonly store: LedgerStore,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Moves what was just taken from lots into a new freeze, and announces it. Returns its id. */
  async open(
    manager: EntityManager,
    locked: LockedAccount,
    allocations: readonly Allocation[],
    freeze: {
      reason: string;
      orderId?: string;
      refundId?: string;
      /** A refund's freeze: the amount asked back. */
      amountCents?: number;
      frozenUntil?: Date;
    },
  ): Promise<string> {
    const points = allocations.reduce((sum, allocation) => sum + allocation.points, 0);
    await manager.query(
      'UPDATE point_account SET available = available - ?, frozen = frozen + ? WHERE member_id = ?',
      [points, points, locked.memberId],
    );
    const inserted = await manager.query<{ insertId: number }>(
      `INSERT INTO point_freeze (member_id, points, status, reason, order_id, refund_id, amount_cents, frozen_until)
       VALUES (?, ?, 'frozen', ?, ?, ?, ?, ?)`,
      [
        locked.memberId,
        points,
        freeze.reason,
        freeze.orderId ?? null,
        freeze.refundId ?? null,
        freeze.amountCents ?? null,
        freeze.frozenUntil ?? null,
      ],
    );
    const freezeId = String(inserted.insertId);
    await this.store.record(manager, locked.memberId, {
      type: 'freeze',
      points: -points,
      after: { ...locked, available: locked.available - points, frozen: locked.frozen + points },
      source: freeze.refundId ? 'refund' : 'freeze',
      sourceId: freeze.refundId ?? freezeId,
      note: freeze.reason,
    });
    await manager.query(
      `INSERT INTO point_freeze_allocation (freeze_id, lot_id, points) VALUES ${allocations
        .map(() => '(?, ?, ?)')
        .join(', ')}`,
      allocations.flatMap(({ lotId, points: taken }) => [freezeId, lotId, taken]),
    );
    await this.outbox.add(manager, 'points.frozen.v1', {
      memberId: locked.memberId,
      userId: locked.userId,
      freezeId,
      points,
      reason: freeze.reason,
      ...(freeze.orderId ? { orderId: freeze.orderId } : {}),
      ...(freeze.refundId ? { refundId: freeze.refundId } : {}),
      ...(freeze.frozenUntil ? { frozenUntil: freeze.frozenUntil.toISOString() } : {}),
      balanceAfter: locked.available - points,
    });
    return freezeId;
  }

  /**
   * Gives `points` of an open freeze back to the lots they came from (its allocations past the
   * points it keeps, in lot order), and announces it. Releasing all of it closes the freeze (its allocations stay as its record);
   * releasing part leaves the rest frozen with the allocations that remain. Returns the balances
   * after.
   */
  async release(
    manager: EntityManager,
    locked: LockedAccount,
    freeze: OpenFreeze,
    points: number,
    reason: string,
  ): Promise<LockedAccount> {
    const kept = Number(freeze.points) - points;
    const givenBack = await this.allocationsBeyond(manager, freeze.id, kept);
    await this.store.giveBackToLots(manager, givenBack);
    if (kept === 0) {
      await manager.query(
        "UPDATE point_freeze SET status = 'released', settled_at = CURRENT_TIMESTAMP(3) WHERE id = ?",
        [freeze.id],
      );
    } else {
      await this.keepOnly(manager, freeze.id, kept);
      await manager.query('UPDATE point_freeze SET points = ? WHERE id = ?', [kept, freeze.id]);
    }
    await manager.query(
      'UPDATE point_account SET frozen = frozen - ?, available = available + ? WHERE member_id = ?',
      [points, points, locked.memberId],
    );
    const after = {
      ...locked,
      available: locked.available + points,
      frozen: locked.frozen - points,
    };
    await this.store.record(manager, locked.memberId, {
      type: 'unfreeze',
      points,
      after,
      source: freeze.refund_id ? 'refund' : 'freeze',
      sourceId: freeze.refund_id ? String(freeze.refund_id) : String(freeze.id),
      note: reason,
    });
    await this.outbox.add(manager, 'points.unfrozen.v1', {
      memberId: locked.memberId,
      userId: locked.userId,
      freezeId: String(freeze.id),
      points,
      reason,
      ...(freeze.order_id ? { orderId: String(freeze.order_id) } : {}),
      ...(freeze.refund_id ? { refundId: String(freeze.refund_id) } : {}),
      balanceAfter: after.available,
    });
    return after;
  }

  /**
   * An admin freezing a member's points (a dispute, suspected fraud), earliest-expiring first.
   * Admin freezes have no end date: they last until an admin releases them. Once per key: a
   * repeat with the same points answers what the first did.
   */
  freezeByAdmin(
    manager: EntityManager,
    account: AccountRef,
    request: { points: number; reason: string; key: string; at: Date },
  ): Promise<FreezeResult> {
    return this.once(manager, account, ADMIN_FREEZE, request, async (locked) => {
      const allocations = await this.store.takeFromLots(
        manager,
        locked,
        request.points,
        request.at,
      );
      const freezeId = await this.open(manager, locked, allocations, { reason: request.reason });
      return {
        points: request.points,
        freezeIds: [freezeId],
        balanceAfter: locked.available - request.points,
        frozenAfter: locked.frozen + request.points,
      };
    });
  }

  /**
   * An admin releasing frozen points: draws on the member's admin freezes oldest first; refund
   * freezes settle only through their refund or their period. Once per key, as freezing is.
   */
  releaseByAdmin(
    manager: EntityManager,
    account: AccountRef,
    request: { points: number; reason: string; key: string },
  ): Promise<FreezeResult> {
    return this.once(manager, account, ADMIN_UNFREEZE, request, async (locked) => {
      const open = await manager.query<OpenFreeze[]>(
        `SELECT id, points, order_id, refund_id FROM point_freeze
          WHERE member_id = ? AND status = 'frozen' AND refund_id IS NULL ORDER BY id FOR UPDATE`,
        [locked.memberId],
      );
      const adminFrozen = open.reduce((sum, freeze) => sum + Number(freeze.points), 0);
      if (adminFrozen < request.points) {
        throw new AppException(
          ErrorCode.FrozenPointsInsufficient,
          'Fewer points are frozen by admins than asked to release',
          { adminFrozen, requested: request.points },
        );
      }
      let left = request.points;
      let balance = locked;
      const freezeIds: string[] = [];
      for (const freeze of open) {
        if (left === 0) break;
        const points = Math.min(left, Number(freeze.points));
        balance = await this.release(manager, balance, freeze, points, request.reason);
        freezeIds.push(String(freeze.id));
        left -= points;
      }
      return {
        points: request.points,
        freezeIds,
        balanceAfter: balance.available,
        frozenAfter: balance.frozen,
      };
    });
  }

  /** Runs `work` once for the member's key; a repeat with the same points answers the first. */
  private async once(
    manager: EntityManager,
    account: AccountRef,
    kind: string,
    request: { points: number; key: string },
    work: (locked: LockedAccount) => Promise<FreezeResult>,
  ): Promise<FreezeResult> {
    const locked = await this.store.lock(manager, account);
    if (!(await this.store.claim(manager, kind, request.key, locked.memberId))) {
      const first = await this.store.keptResult<FreezeResult>(
        manager,
        locked.memberId,
        kind,
        request.key,
      );
      if (first?.points !== request.points) {
        throw new AppException(
          ErrorCode.IdempotencyKeyReused,
          'This Idempotency-Key was used for another request',
        );
      }
      return first;
    }
    const result = await work(locked);
    await this.store.keepResult(manager, locked.memberId, kind, request.key, result);
    return result;
  }

  /** The freeze's lot allocations after the first `kept` points (those stay taken). */
  async allocationsBeyond(
    manager: EntityManager,
    freezeId: string,
    kept: number,
  ): Promise<Allocation[]> {
    let skip = kept;
    const result: Allocation[] = [];
    for (const row of await this.allocationsOf(manager, freezeId)) {
      const points = Number(row.points);
      const skipped = Math.min(skip, points);
      skip -= skipped;
      if (points - skipped > 0) {
        result.push({ lotId: String(row.lot_id), points: points - skipped });
      }
    }
    return result;
  }

  /** Cuts an open freeze's allocations down to its first `kept` points. */
  private async keepOnly(manager: EntityManager, freezeId: string, kept: number): Promise<void> {
    let left = kept;
    for (const row of await this.allocationsOf(manager, freezeId)) {
      const points = Number(row.points);
      const stays = Math.min(left, points);
      left -= stays;
      if (stays === points) continue;
      await manager.query(
        stays === 0
          ? 'DELETE FROM point_freeze_allocation WHERE freeze_id = ? AND lot_id = ?'
          : 'UPDATE point_freeze_allocation SET points = ? WHERE freeze_id = ? AND lot_id = ?',
        stays === 0 ? [freezeId, row.lot_id] : [stays, freezeId, row.lot_id],
      );
    }
  }

  private allocationsOf(
    manager: EntityManager,
    freezeId: string,
  ): Promise<Array<{ lot_id: string; points: string }>> {
    return manager.query(
      'SELECT lot_id, points FROM point_freeze_allocation WHERE freeze_id = ? ORDER BY lot_id',
      [freezeId],
    );
  }
}
