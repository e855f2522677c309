import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  jsonColumn,
  queryTogether,
  rowsOf,
  statement,
  writeOf,
} from '@member-system/shared/database';
import type { Statement } from '@member-system/shared/database';
import { ErrorCode } from '@member-system/contracts';
import type { PointTransactionType, PointsResult } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { PointsReadCache } from '../points-read-cache';
import type { PointAllocationRow, PointLotRow, PointTransactionRow } from './ledger-tables';
import { roundTrip } from './round-trip';
import type { Answers, RoundTrip } from './round-trip';

export const RESTORE_ORDER = 'restore:order';
export const USE_ORDER = 'use:order';

/**
 * The session variable that holds the id of the history row a round trip just inserted, for the
 * statements after it in the same round trip (allocations, the key's settlement, the event).
 */
export const TRANSACTION_ID = '@ledger_transaction_id';

/**
 * A history row's lot when that lot was inserted by the statement just before, in the same round
 * trip: the row takes the connection's LAST_INSERT_ID().
 */
export const LOT_INSERTED_JUST_BEFORE = Symbol('the lot inserted just before');

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

export interface Allocation {
  lotId: string;
  points: number;
}

export interface HistoryEntry {
  type: PointTransactionType;
  points: number;
  /** Every balance once this row's movement is done. */
  after: Balances;
  source: string;
  sourceId: string;
  lotId?: string | typeof LOT_INSERTED_JUST_BEFORE;
  expiresAt?: Date;
  note?: string | undefined;
}

type SpendableLot = Pick<PointLotRow, 'id' | 'remaining'>;

/**
 * The ledger core's storage: account locks, natural keys, history rows and lots, as statements
 * and the reads of their answers. Only the core's own classes use it; everything else asks them
 * for a domain operation.
 */
@Injectable()
export class LedgerStore {
  /** Members whose accounts each open transaction locked, to invalidate their balances after commit. */
  private readonly touched = new WeakMap<EntityManager, Set<string>>();

  constructor(private readonly balances: PointsReadCache) {}

  /** For work run in someone else's transaction (an event's): call after that commit. */
  async invalidateTouched(manager: EntityManager): Promise<void> {
    await this.balances.invalidate([...(this.touched.get(manager) ?? [])]);
    this.touched.delete(manager);
  }

  /** Opens the account if the registration event has not arrived yet, then locks it. */
  async lock(manager: EntityManager, account: AccountRef): Promise<LockedAccount> {
    return (await this.lockWith(manager, account, {})).locked;
  }

  /**
   * `lock`, with `named` statements sent in the same round trip right after the lock, and their
   * answers under the same names. They run even when the account turns out to be missing (it is
   * then opened and locked), so they must hold in that case too: a missing account has no lots
   * and no balance yet.
   */
  async lockWith<T extends RoundTrip>(
    manager: EntityManager,
    account: AccountRef,
    named: T,
  ): Promise<{ locked: LockedAccount; answers: Answers<T> }> {
    const lockRow = statement(
      'SELECT available, frozen, held, debt FROM point_account WHERE member_id = ? FOR UPDATE',
      [account.memberId],
    );
    this.touched.set(
      manager,
      (this.touched.get(manager) ?? new Set<string>()).add(account.memberId),
    );
    const { account: rows, ...answers } = await roundTrip(manager, { account: lockRow, ...named });
    let [row] = rowsOf<Record<keyof Balances, string>>(rows);
    if (!row) {
      // Only when missing: INSERT IGNORE on an existing row takes a shared lock first, and two
      // transactions upgrading shared locks to exclusive ones deadlock.
      const opened = await roundTrip(manager, {
        open: this.openStatement(account),
        account: lockRow,
      });
      [row] = rowsOf<Record<keyof Balances, string>>(opened.account);
    }
    return {
      locked: {
        ...account,
        available: Number(row?.available ?? 0),
        frozen: Number(row?.frozen ?? 0),
        held: Number(row?.held ?? 0),
        debt: Number(row?.debt ?? 0),
      },
      answers: answers as unknown as Answers<T>,
    };
  }

  /** Opens a member's account; affects no row when it is open already. */
  openStatement(account: AccountRef): Statement {
    return statement('INSERT IGNORE INTO point_account (member_id, user_id) VALUES (?, ?)', [
      account.memberId,
      account.userId,
    ]);
  }

  /**
   * Locks many accounts at once, in member id order (so two bulk writers never wait on each other
   * in a circle). Members without an account are missing from the map.
   */
  async lockMany(
    manager: EntityManager,
    memberIds: readonly string[],
  ): Promise<Map<string, LockedAccount>> {
    const [rows] = await queryTogether(manager, [this.lockManyStatement(memberIds)]);
    return this.lockedAccountsOf(rows, manager);
  }

  /** `lockMany`'s statement, to send with others; read its answer with `lockedAccountsOf`. */
  lockManyStatement(memberIds: readonly string[]): Statement {
    return statement(
      `SELECT member_id, user_id, available, frozen, held, debt FROM point_account
        WHERE member_id IN (?) ORDER BY member_id FOR UPDATE`,
      [memberIds],
    );
  }

  /** The accounts a `lockManyStatement` locked, noted as touched by the transaction. */
  lockedAccountsOf(answer: unknown, manager?: EntityManager): Map<string, LockedAccount> {
    const accounts = new Map<string, LockedAccount>();
    for (const row of rowsOf<Record<keyof Balances | 'member_id' | 'user_id', string>>(answer)) {
      const memberId = String(row.member_id);
      accounts.set(memberId, {
        memberId,
        userId: String(row.user_id),
        available: Number(row.available),
        frozen: Number(row.frozen),
        held: Number(row.held),
        debt: Number(row.debt),
      });
    }
    if (manager) {
      const touched = this.touched.get(manager) ?? new Set<string>();
      for (const memberId of accounts.keys()) touched.add(memberId);
      this.touched.set(manager, touched);
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

  async settle(
    manager: EntityManager,
    memberId: string,
    kind: string,
    key: string,
    transactionId: string,
  ): Promise<void> {
    await queryTogether(manager, [this.settleStatement(memberId, kind, key, transactionId)]);
  }

  /**
   * Links a claimed key to the history row of its operation (a repeat replays from it): an id, or
   * TRANSACTION_ID for the row inserted earlier in the same round trip.
   */
  settleStatement(memberId: string, kind: string, key: string, transactionId: string): Statement {
    const byVariable = transactionId === TRANSACTION_ID;
    return statement(
      `UPDATE point_operation SET transaction_id = ${byVariable ? TRANSACTION_ID : '?'}
        WHERE member_id = ? AND kind = ? AND natural_key = ?`,
      [...(byVariable ? [] : [transactionId]), memberId, kind, key],
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
    const [row] = await manager.query<
      Array<Pick<PointTransactionRow, 'id' | 'points' | 'balance_after'>>
    >(
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
    return { transactionId: String(row.id), points, balanceAfter: Number(row.balance_after) };
  }

  async record(manager: EntityManager, memberId: string, entry: HistoryEntry): Promise<string> {
    const [inserted] = await queryTogether(manager, [this.historyStatement(memberId, entry)]);
    return writeOf(inserted).insertId;
  }

  /** Inserts a history row, with every balance after it. */
  historyStatement(memberId: string, entry: HistoryEntry): Statement {
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

  /** Keeps the id of the history row inserted just before in TRANSACTION_ID. */
  rememberTransactionStatement(): Statement {
    return statement(`SET ${TRANSACTION_ID} = LAST_INSERT_ID()`);
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

  /** What `spendableLotsStatement` answered. */
  spendableLotsOf(answer: unknown): SpendableLot[] {
    return rowsOf<SpendableLot>(answer);
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
    const allocations = allocate(this.spendableLotsOf(lots), locked.available, wanted, {
      partial,
    });
    await queryTogether(manager, this.takeStatements(allocations));
    return allocations;
  }

  takeStatements(allocations: readonly Allocation[]): Statement[] {
    return allocations.map(({ lotId, points }) =>
      statement('UPDATE point_lot SET remaining = remaining - ? WHERE id = ?', [points, lotId]),
    );
  }

  /**
   * Which lots a spend drew from, so a cancellation can give the same ones back: for a history
   * row's id, or TRANSACTION_ID. Undefined when there is none.
   */
  allocationStatement(
    transactionId: string,
    allocations: readonly Allocation[],
  ): Statement | undefined {
    if (allocations.length === 0) return undefined;
    const id = transactionId === TRANSACTION_ID ? TRANSACTION_ID : '?';
    return statement(
      `INSERT INTO point_allocation (transaction_id, lot_id, points) VALUES ${allocations
        .map(() => `(${id}, ?, ?)`)
        .join(', ')}`,
      allocations.flatMap(({ lotId, points }) =>
        id === '?' ? [transactionId, lotId, points] : [lotId, points],
      ),
    );
  }

  async recordAllocations(
    manager: EntityManager,
    transactionId: string,
    allocations: readonly Allocation[],
  ): Promise<void> {
    const insert = this.allocationStatement(transactionId, allocations);
    if (insert) await queryTogether(manager, [insert]);
  }

  /** What a member's spend of `kind` and `key` took from each lot. */
  async allocationsOf(
    manager: EntityManager,
    memberId: string,
    kind: string,
    key: string,
  ): Promise<Allocation[]> {
    const rows = await manager.query<Array<Pick<PointAllocationRow, 'lot_id' | 'points'>>>(
      `SELECT a.lot_id, a.points FROM point_operation o JOIN point_allocation a ON a.transaction_id = o.transaction_id
        WHERE o.member_id = ? AND o.kind = ? AND o.natural_key = ?`,
      [memberId, kind, key],
    );
    return rows.map((row) => ({ lotId: String(row.lot_id), points: Number(row.points) }));
  }

  /** Puts points back into the lots they were taken from (each keeps its own expiry). */
  async giveBackToLots(manager: EntityManager, allocations: readonly Allocation[]): Promise<void> {
    await queryTogether(
      manager,
      allocations.map(({ lotId, points }) =>
        statement('UPDATE point_lot SET remaining = remaining + ? WHERE id = ?', [points, lotId]),
      ),
    );
  }

  /**
   * Claims an order for the member paying on it with points (the first one to do so keeps it) and
   * reads what concerns it: who has it, whether this member's order was cancelled, and whether it
   * has a reserved hold of theirs. Read the answers with `orderOf`.
   */
  orderClaimStatements(memberId: string, orderId: string) {
    return {
      orderClaim: statement(
        'INSERT IGNORE INTO point_order_owner (order_id, member_id) VALUES (?, ?)',
        [orderId, memberId],
      ),
      order: statement(
        `SELECT (SELECT member_id FROM point_order_owner WHERE order_id = ?) AS owner,
                EXISTS (SELECT 1 FROM point_operation WHERE member_id = ? AND kind = ? AND natural_key = ?) AS cancelled,
                EXISTS (SELECT 1 FROM point_hold WHERE order_id = ? AND member_id = ? AND status = 'reserved') AS reserved_hold`,
        [orderId, memberId, RESTORE_ORDER, orderId, orderId, memberId],
      ),
    };
  }

  /**
   * The order as `orderClaimStatements` found it (its `order` answer). Refuses another member's
   * order, showing nothing of theirs, and a cancelled one.
   */
  orderOf(memberId: string, orderId: string, answer: unknown): { reservedHold: boolean } {
    const [row] = rowsOf<{ owner: string; cancelled: number; reserved_hold: number }>(answer);
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
}

/**
 * Which lots give how much of `wanted` points, in their order (earliest expiry first), never more
 * than the account's `available`. Refuses with POINTS_INSUFFICIENT, or with `partial` takes what
 * there is.
 */
export function allocate(
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
    allocations.push({ lotId: String(lot.id), points: take });
    left -= take;
  }
  return allocations;
}
