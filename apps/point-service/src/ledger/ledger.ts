import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import {
  jsonColumn,
  queryTogether,
  rowsOf,
  statement,
  withTransaction,
  writeOf,
} from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { PointsReadCache } from './points-read-cache';
import { ErrorCode } from '@member-system/contracts';
import type {
  PointEarnSource,
  PointTransactionType,
  PointUseSource,
  PointsResult,
} from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { OutboxWriter } from '@member-system/shared/messaging';
import { PointServiceConfig } from '../config/point-service.config';
import { expiryOf } from './point-rules';

export const RESTORE_ORDER = 'restore:order';
export const USE_ORDER = 'use:order';

/**
 * A history row's lot when that lot was inserted by the statement just before, in the same round
 * trip: the row takes the connection's LAST_INSERT_ID().
 */
const LOT_INSERTED_JUST_BEFORE = Symbol('the lot inserted just before');

export interface AccountRef {
  memberId: string;
  userId: string;
}

/** A member's four balances: what they can spend, what is frozen, held by checkout, and owed. */
export interface Balances {
  available: number;
  frozen: number;
  held: number;
  debt: number;
}

export interface LockedAccount extends AccountRef, Balances {}

export interface Credit {
  points: number;
  source: PointEarnSource;
  sourceId: string;
  kind: string;
  at: Date;
  note?: string;
  /** The history row's type: `earn` unless an admin's adjustment. */
  type?: 'earn' | 'adjust';
}

export interface Allocation {
  lotId: string;
  points: number;
}

/**
 * The one place balances change. Every operation runs inside the caller's transaction, with the
 * member's account row locked FOR UPDATE, and claims its natural key in `point_operation` first:
 * a repeat finds the key and changes nothing, so no point is created or spent twice.
 *
 * A spend or a credit sends its statements in three round trips (`queryTogether`): lock the
 * account with the claim and the reads; the lots, the balance and the history row; then what
 * needs the history row's id. Each round trip costs the service and MySQL more CPU than the
 * statements in it.
 */
@Injectable()
export class Ledger {
  /** Members whose accounts each open transaction locked, to invalidate their balances after commit. */
  private readonly touched = new WeakMap<EntityManager, Set<string>>();

  constructor(
    @Inject(PointServiceConfig) private readonly config: PointServiceConfig,
    private readonly outbox: OutboxWriter,
    private readonly dataSource: DataSource,
    private readonly balances: PointsReadCache,
  ) {}

  /** Creates a lot of `points` (0 records nothing) and announces it. Undefined when the key was used. */
  async credit(
    manager: EntityManager,
    account: AccountRef,
    credit: Credit,
  ): Promise<PointsResult | undefined> {
    const {
      locked,
      answers: [claimed],
    } = await this.lockWith(manager, account, [
      this.claimStatement(credit.kind, credit.sourceId, account.memberId),
    ]);
    if (writeOf(claimed).affectedRows !== 1) return undefined;
    return this.creditClaimed(manager, locked, credit);
  }

  /**
   * `credit` for a caller that already holds the account's lock in this transaction (`locked` is
   * what `lock` returned, and nothing changed the balance since).
   */
  async creditLocked(
    manager: EntityManager,
    locked: LockedAccount,
    credit: Credit,
  ): Promise<PointsResult | undefined> {
    if (!(await this.claim(manager, credit.kind, credit.sourceId, locked.memberId)))
      return undefined;
    return this.creditClaimed(manager, locked, credit);
  }

  /**
   * The rest of a credit whose key the caller claimed (with `claimStatement`) under the account's
   * lock. `alongside` are the caller's own writes of this credit, sent in its first round trip.
   */
  async creditClaimed(
    manager: EntityManager,
    locked: LockedAccount,
    credit: Credit,
    alongside: readonly Statement[] = [],
  ): Promise<PointsResult> {
    if (credit.points <= 0) {
      await queryTogether(manager, alongside);
      return { transactionId: '', points: 0, balanceAfter: locked.available };
    }
    const expiresAt = expiryOf(
      credit.at,
      this.config.POINTS_EXPIRY_YEARS,
      this.config.BUSINESS_TIME_ZONE,
    );
    // Debt from reversed points already spent is paid first, out of this credit.
    const repaid = Math.min(locked.debt, credit.points);
    const kept = credit.points - repaid;
    const balanceAfter = locked.available + kept;
    const earned = { ...locked, available: locked.available + credit.points };
    const answers = await queryTogether(manager, [
      ...alongside,
      statement(
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
      this.historyStatement(locked.memberId, {
        type: credit.type ?? 'earn',
        points: credit.points,
        after: earned,
        source: credit.source,
        sourceId: credit.sourceId,
        lotId: LOT_INSERTED_JUST_BEFORE,
        expiresAt,
        note: credit.note,
      }),
      ...(repaid > 0
        ? [
            this.historyStatement(locked.memberId, {
              type: 'repay',
              points: -repaid,
              after: { ...earned, available: balanceAfter, debt: locked.debt - repaid },
              source: credit.source,
              sourceId: credit.sourceId,
            }),
          ]
        : []),
      statement(
        `UPDATE point_account SET available = available + ?, debt = debt - ?, lifetime_earned = lifetime_earned + ?
          WHERE member_id = ?`,
        [kept, repaid, credit.points, locked.memberId],
      ),
    ]);
    const transactionId = writeOf(answers[alongside.length + 1]).insertId;
    await queryTogether(manager, [
      this.settleStatement(locked.memberId, credit.kind, credit.sourceId, transactionId),
      this.outbox.statement(manager, 'points.earned.v1', {
        memberId: locked.memberId,
        userId: locked.userId,
        points: credit.points,
        source: credit.source,
        sourceId: credit.sourceId,
        transactionId,
        expiresAt: expiresAt.toISOString(),
        balanceAfter,
      }),
    ]);
    return { transactionId, points: credit.points, balanceAfter };
  }

  /**
   * Spends from the lots that expire first (ties: earliest earned, then id), recording what each
   * lot gave, so a cancellation can give the same lots back. A repeat of the same key by the same
   * member returns the first result; the same key with other points is a conflict. A spend on an
   * order (`kind` use:order) also claims the order for the member: another member's order is
   * refused, and so is a cancelled one, replay or not.
   */
  async debit(
    manager: EntityManager,
    account: AccountRef,
    debit: {
      points: number;
      source: PointUseSource;
      sourceId: string;
      kind: string;
      at: Date;
      note?: string;
      type?: 'use' | 'adjust';
    },
  ): Promise<PointsResult> {
    // Three round trips: lock, claim and read; write the balance and the history row; then what
    // needs the history row's id.
    const onOrder = debit.kind === USE_ORDER;
    const {
      locked,
      answers: [claimed, lots, ...orderAnswers],
    } = await this.lockWith(manager, account, [
      this.claimStatement(debit.kind, debit.sourceId, account.memberId),
      this.spendableLotsStatement(account.memberId, debit.at),
      ...(onOrder ? this.orderClaimStatements(account.memberId, debit.sourceId) : []),
    ]);
    if (onOrder) {
      const order = this.orderOf(account.memberId, debit.sourceId, orderAnswers);
      if (order.reservedHold) {
        throw new AppException(
          ErrorCode.Conflict,
          `Order ${debit.sourceId} has a hold: capture or release it`,
          { orderId: debit.sourceId },
        );
      }
    }
    if (writeOf(claimed).affectedRows !== 1) {
      return this.replay(manager, account.memberId, debit.kind, debit.sourceId, debit.points);
    }
    const allocations = allocate(rowsOf<SpendableLot>(lots), locked.available, debit.points);
    const after = { ...locked, available: locked.available - debit.points };
    const answers = await queryTogether(manager, [
      ...this.takeStatements(allocations),
      statement(
        `UPDATE point_account SET available = available - ?, lifetime_used = lifetime_used + ?
          WHERE member_id = ? AND available >= ?`,
        [debit.points, debit.points, locked.memberId, debit.points],
      ),
      this.historyStatement(locked.memberId, {
        type: debit.type ?? 'use',
        points: -debit.points,
        after,
        source: debit.source,
        sourceId: debit.sourceId,
        note: debit.note,
      }),
    ]);
    if (writeOf(answers[allocations.length]).affectedRows !== 1)
      throw new Error(`account ${locked.memberId} changed under its lock`);
    const transactionId = writeOf(answers[allocations.length + 1]).insertId;
    await queryTogether(manager, [
      ...this.allocationStatements(transactionId, allocations),
      this.settleStatement(locked.memberId, debit.kind, debit.sourceId, transactionId),
      this.outbox.statement(manager, 'points.used.v1', {
        memberId: locked.memberId,
        userId: locked.userId,
        points: debit.points,
        source: debit.source,
        sourceId: debit.sourceId,
        transactionId,
        balanceAfter: after.available,
      }),
    ]);
    return { transactionId, points: debit.points, balanceAfter: after.available };
  }

  /**
   * Claims an order for the member paying on it with points (the first one to do so keeps it) and
   * reads what concerns it: who has it, whether this member's order was cancelled, and whether it
   * has a reserved hold of theirs. Read its answers with `orderOf`.
   */
  orderClaimStatements(memberId: string, orderId: string): Statement[] {
    return [
      statement('INSERT IGNORE INTO point_order_owner (order_id, member_id) VALUES (?, ?)', [
        orderId,
        memberId,
      ]),
      statement(
        `SELECT (SELECT member_id FROM point_order_owner WHERE order_id = ?) AS owner,
                EXISTS (SELECT 1 FROM point_operation WHERE member_id = ? AND kind = ? AND natural_key = ?) AS cancelled,
                EXISTS (SELECT 1 FROM point_hold WHERE order_id = ? AND member_id = ? AND status = 'reserved') AS reserved_hold`,
        [orderId, memberId, RESTORE_ORDER, orderId, orderId, memberId],
      ),
    ];
  }

  /**
   * The order as `orderClaimStatements` found it. Refuses another member's order (showing nothing
   * of theirs) and a cancelled one.
   */
  orderOf(
    memberId: string,
    orderId: string,
    answers: readonly unknown[],
  ): { reservedHold: boolean } {
    const [row] = rowsOf<{ owner: string; cancelled: number; reserved_hold: number }>(answers[1]);
    if (String(row?.owner) !== memberId) {
      throw new AppException(
        ErrorCode.OrderOwnedByAnotherMember,
        'Another member already paid with points on this order',
        { orderId },
      );
    }
    if (Number(row?.cancelled) === 1) {
      throw new AppException(ErrorCode.OrderCancelled, `Order ${orderId} was cancelled`, {
        orderId,
      });
    }
    return { reservedHold: Number(row?.reserved_hold) === 1 };
  }

  /**
   * Gives back what an order's spend took, to the same lots (so each keeps its own expiry), once.
   * A cancellation that arrives before any spend still claims its key, and a later spend of that
   * order by the member is refused. Returns the points given back (0 when there was nothing).
   */
  async restoreOrder(
    manager: EntityManager,
    account: AccountRef,
    orderId: string,
  ): Promise<number> {
    const locked = await this.lock(manager, account);
    if (!(await this.claim(manager, RESTORE_ORDER, orderId, locked.memberId))) return 0;
    const allocations = (
      await manager.query<Array<{ lot_id: string; points: string }>>(
        `SELECT a.lot_id, a.points FROM point_operation o JOIN point_allocation a ON a.transaction_id = o.transaction_id
          WHERE o.member_id = ? AND o.kind = ? AND o.natural_key = ?`,
        [locked.memberId, USE_ORDER, orderId],
      )
    ).map((row) => ({ lotId: row.lot_id, points: Number(row.points) }));
    const points = allocations.reduce((sum, allocation) => sum + allocation.points, 0);
    if (points === 0) return 0;
    await this.giveBackToLots(manager, allocations);
    await manager.query(
      'UPDATE point_account SET available = available + ?, lifetime_used = lifetime_used - ? WHERE member_id = ?',
      [points, points, locked.memberId],
    );
    const after = { ...locked, available: locked.available + points };
    const transactionId = await this.record(manager, locked.memberId, {
      type: 'restore',
      points,
      after,
      source: 'order',
      sourceId: orderId,
    });
    await this.settle(manager, locked.memberId, RESTORE_ORDER, orderId, transactionId);
    await this.outbox.add(manager, 'points.restored.v1', {
      memberId: locked.memberId,
      userId: locked.userId,
      points,
      orderId,
      transactionId,
      balanceAfter: after.available,
    });
    return points;
  }

  /**
   * Takes `points` from the member's spendable lots, earliest expiry first (ties: earliest earned,
   * then id), under the account lock the caller holds. Refuses with POINTS_INSUFFICIENT, or with
   * `partial` takes what there is.
   */
  async takeFromLots(
    manager: EntityManager,
    locked: LockedAccount,
    wanted: number,
    at: Date,
    { partial = false }: { partial?: boolean } = {},
  ): Promise<Allocation[]> {
    const [lots] = await queryTogether(manager, [this.spendableLotsStatement(locked.memberId, at)]);
    const allocations = allocate(rowsOf<SpendableLot>(lots), locked.available, wanted, {
      partial,
    });
    await queryTogether(manager, this.takeStatements(allocations));
    return allocations;
  }

  /** The member's lots that can be spent at `at`, in the order a spend takes them, locked. */
  spendableLotsStatement(memberId: string, at: Date): Statement {
    return statement(
      `SELECT id, remaining FROM point_lot
        WHERE member_id = ? AND remaining > 0 AND available_from <= ? AND expires_at > ?
        ORDER BY expires_at, earned_at, id FOR UPDATE`,
      [memberId, at, at],
    );
  }

  private takeStatements(allocations: readonly Allocation[]): Statement[] {
    return allocations.map(({ lotId, points }) =>
      statement('UPDATE point_lot SET remaining = remaining - ? WHERE id = ?', [points, lotId]),
    );
  }

  private allocationStatements(
    transactionId: string,
    allocations: readonly Allocation[],
  ): Statement[] {
    return allocations.map(({ lotId, points }) =>
      statement('INSERT INTO point_allocation (transaction_id, lot_id, points) VALUES (?, ?, ?)', [
        transactionId,
        lotId,
        points,
      ]),
    );
  }

  /** Which lots a spend drew from, so a cancellation can give the same ones back. */
  async recordAllocations(
    manager: EntityManager,
    transactionId: string,
    allocations: readonly Allocation[],
  ): Promise<void> {
    await queryTogether(manager, this.allocationStatements(transactionId, allocations));
  }

  /** Puts points back into the lots they were taken from (each keeps its own expiry). */
  async giveBackToLots(manager: EntityManager, allocations: readonly Allocation[]): Promise<void> {
    for (const { lotId, points } of allocations) {
      await manager.query('UPDATE point_lot SET remaining = remaining + ? WHERE id = ?', [
        points,
        lotId,
      ]);
    }
  }

  async exists(
    manager: EntityManager,
    memberId: string,
    kind: string,
    key: string,
  ): Promise<boolean> {
    const [row] = await manager.query<unknown[]>(
      'SELECT 1 FROM point_operation WHERE member_id = ? AND kind = ? AND natural_key = ?',
      [memberId, kind, key],
    );
    return row !== undefined;
  }

  /**
   * Runs ledger work in one transaction (retried whole on deadlock) and, once committed, drops
   * the cached balances of every member it touched, before the caller replies.
   */
  async transact<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let last: EntityManager | undefined;
    const result = await withTransaction(this.dataSource, (manager) => {
      last = manager;
      return work(manager);
    });
    if (last) await this.invalidateTouched(last);
    return result;
  }

  /** For work run in someone else's transaction (an event's): call after that commit. */
  async invalidateTouched(manager: EntityManager): Promise<void> {
    await this.balances.invalidate([...(this.touched.get(manager) ?? [])]);
    this.touched.delete(manager);
  }

  /** Opens the account if the registration event has not arrived yet, then locks it. */
  async lock(manager: EntityManager, account: AccountRef): Promise<LockedAccount> {
    return (await this.lockWith(manager, account, [])).locked;
  }

  /**
   * `lock`, with `statements` sent in the same round trip right after the lock, and their answers.
   * They run even when the account turns out to be missing (it is then opened and locked), so
   * they must hold in that case too: a missing account has no lots and no balance yet.
   */
  async lockWith(
    manager: EntityManager,
    account: AccountRef,
    statements: readonly Statement[],
  ): Promise<{ locked: LockedAccount; answers: unknown[] }> {
    const lockRow = statement(
      'SELECT available, frozen, held, debt FROM point_account WHERE member_id = ? FOR UPDATE',
      [account.memberId],
    );
    this.touched.set(
      manager,
      (this.touched.get(manager) ?? new Set<string>()).add(account.memberId),
    );
    const [rows, ...answers] = await queryTogether(manager, [lockRow, ...statements]);
    let [row] = rowsOf<{ available: string; frozen: string; held: string; debt: string }>(rows);
    if (!row) {
      // Only when missing: INSERT IGNORE on an existing row takes a shared lock first, and two
      // transactions upgrading shared locks to exclusive ones deadlock.
      const [, relocked] = await queryTogether(manager, [
        statement('INSERT IGNORE INTO point_account (member_id, user_id) VALUES (?, ?)', [
          account.memberId,
          account.userId,
        ]),
        lockRow,
      ]);
      [row] = rowsOf<{ available: string; frozen: string; held: string; debt: string }>(relocked);
    }
    return {
      locked: {
        ...account,
        available: Number(row?.available ?? 0),
        frozen: Number(row?.frozen ?? 0),
        held: Number(row?.held ?? 0),
        debt: Number(row?.debt ?? 0),
      },
      answers,
    };
  }

  /**
   * Locks many accounts at once, in member id order (so two bulk writers never wait on each other
   * in a circle). Members without an account are missing from the map.
   */
  async lockMany(
    manager: EntityManager,
    memberIds: readonly string[],
  ): Promise<Map<string, LockedAccount>> {
    const rows = await manager.query<
      Array<{
        member_id: string;
        user_id: string;
        available: string;
        frozen: string;
        held: string;
        debt: string;
      }>
    >(
      `SELECT member_id, user_id, available, frozen, held, debt FROM point_account
        WHERE member_id IN (?) ORDER BY member_id FOR UPDATE`,
      [memberIds],
    );
    const touched = this.touched.get(manager) ?? new Set<string>();
    this.touched.set(manager, touched);
    const accounts = new Map<string, LockedAccount>();
    for (const row of rows) {
      const memberId = String(row.member_id);
      touched.add(memberId);
      accounts.set(memberId, {
        memberId,
        userId: String(row.user_id),
        available: Number(row.available),
        frozen: Number(row.frozen),
        held: Number(row.held),
        debt: Number(row.debt),
      });
    }
    return accounts;
  }

  async claim(
    manager: EntityManager,
    kind: string,
    key: string,
    memberId: string,
  ): Promise<boolean> {
    const [inserted] = await queryTogether(manager, [this.claimStatement(kind, key, memberId)]);
    return writeOf(inserted).affectedRows === 1;
  }

  /**
   * Claims a member's natural key: the write affects one row when it was free, none when the
   * member used it already. Another member's use of the same key is theirs alone.
   */
  claimStatement(kind: string, key: string, memberId: string): Statement {
    return statement(
      'INSERT IGNORE INTO point_operation (kind, natural_key, member_id) VALUES (?, ?, ?)',
      [kind, key, memberId],
    );
  }

  async settle(
    manager: EntityManager,
    memberId: string,
    kind: string,
    key: string,
    transactionId: string,
  ): Promise<void> {
    await queryTogether(manager, [this.settleStatement(memberId, kind, key, transactionId)]);
  }

  /** Links a claimed key to the history row of its operation (a repeat replays from it). */
  private settleStatement(
    memberId: string,
    kind: string,
    key: string,
    transactionId: string,
  ): Statement {
    return statement(
      'UPDATE point_operation SET transaction_id = ? WHERE member_id = ? AND kind = ? AND natural_key = ?',
      [transactionId, memberId, kind, key],
    );
  }

  /** Keeps what an operation answered, for one that leaves no history row to replay from. */
  async keepResult(
    manager: EntityManager,
    memberId: string,
    kind: string,
    key: string,
    result: unknown,
  ): Promise<void> {
    await manager.query(
      'UPDATE point_operation SET result = ? WHERE member_id = ? AND kind = ? AND natural_key = ?',
      [JSON.stringify(result), memberId, kind, key],
    );
  }

  async keptResult<T>(
    manager: EntityManager,
    memberId: string,
    kind: string,
    key: string,
  ): Promise<T | undefined> {
    const [row] = await manager.query<Array<{ result: unknown }>>(
      'SELECT result FROM point_operation WHERE member_id = ? AND kind = ? AND natural_key = ?',
      [memberId, kind, key],
    );
    if (row?.result === undefined || row.result === null) return undefined;
    return jsonColumn<T>(row.result);
  }

  /** The first answer of the member's operation `kind` of `key`; other points are a conflict. */
  async replay(
    manager: EntityManager,
    memberId: string,
    kind: string,
    key: string,
    points: number,
  ): Promise<PointsResult> {
    const [row] = await manager.query<Array<{ id: string; points: string; balance_after: string }>>(
      `SELECT t.id, t.points, t.balance_after FROM point_operation o
         JOIN point_transaction t ON t.id = o.transaction_id
        WHERE o.member_id = ? AND o.kind = ? AND o.natural_key = ?`,
      [memberId, kind, key],
    );
    if (!row || Math.abs(Number(row.points)) !== Math.abs(points)) {
      throw new AppException(
        ErrorCode.Conflict,
        `A different ${kind} was already recorded for ${key}`,
        { sourceId: key },
      );
    }
    return { transactionId: row.id, points, balanceAfter: Number(row.balance_after) };
  }

  async record(manager: EntityManager, memberId: string, entry: HistoryEntry): Promise<string> {
    const [inserted] = await queryTogether(manager, [this.historyStatement(memberId, entry)]);
    return writeOf(inserted).insertId;
  }

  /** Inserts a history row, with every balance after it. */
  historyStatement(
    memberId: string,
    entry: Omit<HistoryEntry, 'lotId'> & { lotId?: string | typeof LOT_INSERTED_JUST_BEFORE },
  ): Statement {
    const lotJustBefore = entry.lotId === LOT_INSERTED_JUST_BEFORE;
    return statement(
      `INSERT INTO point_transaction
         (member_id, type, points, balance_after, frozen_after, held_after, debt_after, source, source_id, lot_id, expires_at, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ${lotJustBefore ? 'LAST_INSERT_ID()' : '?'}, ?, ?)`,
      [
        memberId,
        entry.type,
        entry.points,
        entry.after.available,
        entry.after.frozen,
        entry.after.held,
        entry.after.debt,
        entry.source,
        entry.sourceId,
        ...(lotJustBefore ? [] : [entry.lotId ?? null]),
        entry.expiresAt ?? null,
        entry.note ?? null,
      ],
    );
  }
}

export interface HistoryEntry {
  type: PointTransactionType;
  points: number;
  /** Every balance once this row's movement is done. */
  after: Balances;
  source: string;
  sourceId: string;
  lotId?: string;
  expiresAt?: Date;
  note?: string | undefined;
}

interface SpendableLot {
  id: string;
  remaining: string;
}

/**
 * Which lots give how much of `wanted` points, in their order (earliest expiry first), never more
 * than the account's `available`. Refuses with POINTS_INSUFFICIENT, or with `partial` takes what
 * there is.
 */
function allocate(
  lots: readonly SpendableLot[],
  available: number,
  wanted: number,
  { partial = false }: { partial?: boolean } = {},
): Allocation[] {
  const spendable = lots.reduce((sum, lot) => sum + Number(lot.remaining), 0);
  const affordable = Math.min(spendable, available);
  if (affordable < wanted && !partial) {
    throw new AppException(ErrorCode.PointsInsufficient, 'Not enough points', {
      available: affordable,
      requested: wanted,
    });
  }
  const allocations: Allocation[] = [];
  let left = Math.min(wanted, affordable);
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(left, Number(lot.remaining));
    allocations.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return allocations;
}
