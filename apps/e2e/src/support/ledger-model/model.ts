// The reference model of one member's points: plain numbers and maps, no I/O. It states the
// ledger's semantics as the platform expects them (docs/api/contract.md plus the ledger brief), independently of
// how point-service implements them, so the runner can compare the real gateway's answers, balances
// and history with it.

export const BALANCE_FIELDS = [
  'available',
  'frozen',
  'held',
  'debt',
  'lifetimeEarned',
  'lifetimeUsed',
  'lifetimeExpired',
] as const;
export type BalanceField = (typeof BALANCE_FIELDS)[number];
export type Balance = Record<BalanceField, number>;

/** Rows that bring value in or take it out: `points` = Δ(available + frozen + held − debt). */
export const VALUE_TYPES = ['earn', 'adjust', 'use', 'restore', 'expire', 'capture', 'reverse'];
/** Rows that move points between balances: `points` = Δavailable, the total does not change. */
export const MOVE_TYPES = ['hold', 'release', 'freeze', 'unfreeze', 'repay'];
export type RowType =
  | 'earn'
  | 'adjust'
  | 'use'
  | 'restore'
  | 'expire'
  | 'capture'
  | 'reverse'
  | 'hold'
  | 'release'
  | 'freeze'
  | 'unfreeze'
  | 'repay';

export interface ModelRow {
  type: RowType;
  points: number;
  /** What the row is about (order, refund, hold, batch key…), for readable reports. */
  about: string;
  /**
   * A refund's completion gives back the part of its freeze it does not reverse; the service may
   * show that as its own `unfreeze` row or fold it into the `reverse` row (which may move frozen
   * and available points too).
   */
  foldable?: boolean;
}

/** A first answer kept for replays: status and body as the gateway sent them. */
export interface Answer {
  status: number;
  body: unknown;
}

export interface CompletedOrder {
  amountCents: number;
  points: number;
  refundedCents: number;
  reversedPoints: number;
  /** Its earn row was seen in the history once its events were processed (refunds need it). */
  earnVisible: boolean;
}

export interface HoldState {
  /** Undefined when the service refused a hold the model expected to succeed. */
  holdId: string | undefined;
  orderId: string;
  points: number;
  status: 'reserved' | 'captured' | 'released';
  first: Answer;
  capture?: Answer;
  /** The round the hold was made in (other members may refer to it from the next round on). */
  round: number;
}

export interface OrderState {
  id: string;
  completed?: CompletedOrder;
  spend?: { points: number; first: Answer; round: number };
  hold?: HoldState;
  cancelled: boolean;
}

export interface RefundState {
  id: string;
  orderId: string;
  requested: boolean;
  /** The amount its request asked back (counts as `openRequested` while its freeze is open). */
  requestedCents: number;
  outcome?: 'refunded' | 'rejected';
  /** Points of its open freeze (0 when none, or once settled). */
  frozen: number;
  refundedCents?: number;
}

export const zeroBalance = (): Balance => ({
  available: 0,
  frozen: 0,
  held: 0,
  debt: 0,
  lifetimeEarned: 0,
  lifetimeUsed: 0,
  lifetimeExpired: 0,
});

/**
 * One member. Every method applies an accepted operation; the runner decides (from the same
 * state) whether an operation is accepted, and what the gateway must answer.
 */
export class MemberModel {
  readonly balance: Balance = zeroBalance();
  /** Lifetime reversed points (not in the balance view; the history's `reverse` rows add up to it). */
  reversed = 0;
  readonly rows: ModelRow[] = [];
  readonly orders = new Map<string, OrderState>();
  readonly refunds = new Map<string, RefundState>();
  readonly checkIns = new Set<string>();
  /** `source\nsourceId` of every batch item credited to this member. */
  readonly batchKeys = new Set<string>();
  /** The member's total completed spend in cents (member-service), kept under 1000.00. */
  spentCents = 0;

  order(orderId: string): OrderState {
    let order = this.orders.get(orderId);
    if (!order) {
      order = { id: orderId, cancelled: false };
      this.orders.set(orderId, order);
    }
    return order;
  }

  /** A credit of `points` (earn or admin adjust): pays debt first, with a `repay` row after it. */
  credit(type: 'earn' | 'adjust', points: number, about: string): void {
    const repaid = Math.min(this.balance.debt, points);
    this.balance.available += points - repaid;
    this.balance.debt -= repaid;
    this.balance.lifetimeEarned += points;
    this.rows.push({ type, points, about });
    if (repaid > 0) this.rows.push({ type: 'repay', points: -repaid, about });
  }

  /** A spend of available points (`use`, or an admin's deduction as `adjust`). */
  debit(type: 'use' | 'adjust', points: number, about: string): void {
    this.balance.available -= points;
    this.balance.lifetimeUsed += points;
    this.rows.push({ type, points: -points, about });
  }

  hold(order: OrderState, hold: HoldState): void {
    this.balance.available -= hold.points;
    this.balance.held += hold.points;
    order.hold = hold;
    this.rows.push({ type: 'hold', points: -hold.points, about: `order ${order.id}` });
  }

  release(hold: HoldState): void {
    this.balance.available += hold.points;
    this.balance.held -= hold.points;
    hold.status = 'released';
    this.rows.push({ type: 'release', points: hold.points, about: `order ${hold.orderId}` });
  }

  capture(hold: HoldState): void {
    this.balance.held -= hold.points;
    this.balance.lifetimeUsed += hold.points;
    hold.status = 'captured';
    this.rows.push({ type: 'capture', points: -hold.points, about: `order ${hold.orderId}` });
  }

  /**
   * `order.cancelled.v1`: the order's spend (direct or a captured hold) comes back, a reserved hold
   * is released; once. Returns what it did, for the trace.
   */
  cancel(order: OrderState): string {
    if (order.cancelled) return 'already cancelled: nothing';
    order.cancelled = true;
    const done: string[] = [];
    const restore = (points: number): void => {
      this.balance.available += points;
      this.balance.lifetimeUsed -= points;
      this.rows.push({ type: 'restore', points, about: `order ${order.id}` });
      done.push(`restore ${points}`);
    };
    if (order.spend) restore(order.spend.points);
    if (order.hold?.status === 'captured') restore(order.hold.points);
    if (order.hold?.status === 'reserved') {
      this.release(order.hold);
      done.push(`release hold ${order.hold.points}`);
    }
    return done.length > 0 ? done.join(', ') : 'nothing to give back';
  }

  /** The order earned `points` (multiplier 1.0: the member stays Regular). */
  earnOrder(order: OrderState, amountCents: number, points: number): void {
    order.completed = {
      amountCents,
      points,
      refundedCents: 0,
      reversedPoints: 0,
      earnVisible: false,
    };
    this.spentCents += amountCents;
    this.credit('earn', points, `order ${order.id}`);
  }

  private openRefundsOf(orderId: string): RefundState[] {
    return [...this.refunds.values()].filter(
      (refund) => refund.orderId === orderId && refund.frozen > 0,
    );
  }

  /**
   * `order.refund-requested.v1` (first time for this refund id, outcome not known yet): freezes
   * min(available, floor(P × min(A, refunded + openRequested + a) / A) − reversedSoFar −
   * frozenOpenForOrder), never less than 0. Returns the points frozen.
   */
  requestRefund(refund: RefundState, order: CompletedOrder): number {
    const open = this.openRefundsOf(refund.orderId);
    const openRequested = open.reduce((sum, other) => sum + other.requestedCents, 0);
    const frozenForOrder = open.reduce((sum, other) => sum + other.frozen, 0);
    const share = Math.min(
      order.amountCents,
      order.refundedCents + openRequested + refund.requestedCents,
    );
    const target =
      Math.floor((order.points * share) / order.amountCents) -
      order.reversedPoints -
      frozenForOrder;
    const frozen = Math.max(0, Math.min(this.balance.available, target));
    refund.requested = true;
    if (frozen > 0) {
      refund.frozen = frozen;
      this.balance.available -= frozen;
      this.balance.frozen += frozen;
      this.rows.push({ type: 'freeze', points: -frozen, about: `refund ${refund.id}` });
    }
    return frozen;
  }

  /**
   * `order.refunded.v1` (first outcome of this refund id): refundedTotal = min(A, refunded + b),
   * due = floor(P × refundedTotal / A) − reversedSoFar, out of the refund's own freeze first (the
   * rest of it back to available), then available, the shortfall as debt. Returns `due`.
   */
  completeRefund(refund: RefundState, order: CompletedOrder, amountCents: number): string {
    const refundedTotal = Math.min(order.amountCents, order.refundedCents + amountCents);
    const due =
      Math.floor((order.points * refundedTotal) / order.amountCents) - order.reversedPoints;
    order.refundedCents = refundedTotal;
    order.reversedPoints += due;
    refund.outcome = 'refunded';
    refund.refundedCents = amountCents;
    const own = refund.frozen;
    const fromFreeze = Math.min(due, own);
    const returned = own - fromFreeze;
    refund.frozen = 0;
    this.balance.frozen -= own;
    this.balance.available += returned;
    if (returned > 0) {
      this.rows.push({
        type: 'unfreeze',
        points: returned,
        about: `refund ${refund.id}`,
        foldable: true,
      });
    }
    const left = due - fromFreeze;
    const fromAvailable = Math.min(left, this.balance.available);
    this.balance.available -= fromAvailable;
    this.balance.debt += left - fromAvailable;
    this.reversed += due;
    if (due > 0) this.rows.push({ type: 'reverse', points: -due, about: `refund ${refund.id}` });
    return `due ${due} (freeze ${fromFreeze} of ${own}, available ${fromAvailable}, debt ${left - fromAvailable})`;
  }

  /** `order.refund-rejected.v1` (first outcome of this refund id): its freeze comes back. */
  rejectRefund(refund: RefundState): string {
    refund.outcome = 'rejected';
    const frozen = refund.frozen;
    refund.frozen = 0;
    if (frozen > 0) {
      this.balance.frozen -= frozen;
      this.balance.available += frozen;
      this.rows.push({ type: 'unfreeze', points: frozen, about: `refund ${refund.id}` });
    }
    return `unfreeze ${frozen}`;
  }

  /** The expiry run with asOf far ahead: every lot's remaining points (= available) expire. */
  expireAll(): number {
    const expired = this.balance.available;
    this.balance.available = 0;
    this.balance.lifetimeExpired += expired;
    if (expired > 0) this.rows.push({ type: 'expire', points: -expired, about: 'expiry run' });
    return expired;
  }

  /** Order ids this member owns for spends and holds (paid with points on them, or held). */
  ownedOrders(beforeRound: number): string[] {
    return [...this.orders.values()]
      .filter(
        (order) =>
          (order.spend !== undefined && order.spend.round < beforeRound) ||
          (order.hold !== undefined && order.hold.round < beforeRound),
      )
      .map((order) => order.id);
  }

  /** Hold ids this member made before `beforeRound` (other members may try them from then on). */
  holdIds(beforeRound: number): string[] {
    return [...this.orders.values()].flatMap((order) =>
      order.hold?.holdId !== undefined && order.hold.round < beforeRound ? [order.hold.holdId] : [],
    );
  }

  /** Σ of the model's rows of one type (for the move totals). */
  total(type: RowType, { foldable }: { foldable?: boolean } = {}): number {
    return this.rows
      .filter((row) => row.type === type && (foldable === undefined || !!row.foldable === foldable))
      .reduce((sum, row) => sum + row.points, 0);
  }
}
